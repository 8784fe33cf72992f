// What the tools show in place of a value they must not or cannot show, written once for settings errors,
// plan's report, manifests and plan.json, and the outputs of a stack that plan reads back. In settings/,
// the tools' lowest folder (offline/ and cli/ import it), which the program's build includes.

/** In place of a Pulumi secret: what `pulumi preview` and `pulumi stack output` without --show-secrets show. */
export const SECRET_PLACEHOLDER = "[secret]";

/** In place of a value not known until `pulumi up` (a preview unknown: what the cluster assigns). */
export const UNKNOWN_PLACEHOLDER = "(known after apply)";
