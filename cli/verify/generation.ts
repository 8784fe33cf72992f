// Which generation of the account's long-lived token a kubeconfig holds (docs/token-rotation.md): the token
// names its Secret in its claims, and the deployed stack's tokenSecretName and previousTokenSecretName
// say which Secret is current and which is previous. Never reads or prints the token itself.
import { generationOf } from "../../components/tokenGenerations";

/** The deployed stack's token Secret names (outputs tokenSecretName and previousTokenSecretName). */
export interface GenerationNames {
    readonly current: string;
    /** "" when there is no previous token. */
    readonly previous: string;
}

/** What verify can tell of the token's generation. */
export interface TokenGeneration {
    /** The token's Secret, from its `kubernetes.io/serviceaccount/secret.name` claim. */
    readonly secretName: string;
    /** 1 for `<account>-token`, N for `<account>-token-N`; undefined for another name. */
    readonly generation?: number;
    /**
     * `current`: the one exported; `previous`: valid until the next rotation revokes it; `revoked`: the API
     * server refused it (401); `valid`: accepted, but which generation is current is not known here (no
     * deployed stack read); `not-deployed`: accepted but neither Secret the stack names.
     */
    readonly state: "current" | "previous" | "revoked" | "valid" | "not-deployed";
    /** The deployed stack's current token Secret, when read. */
    readonly current?: string;
}

/**
 * The generation of the token whose Secret is `secretName` (undefined: not a Secret-bound token, such as a
 * TokenRequest token from Vault, so there is nothing to tell), given the deployed names when known and
 * whether the API server refused the token.
 */
export function tokenGeneration(
    secretName: string | undefined,
    names: GenerationNames | undefined,
    refused: boolean,
): TokenGeneration | undefined {
    if (!secretName) {
        return undefined;
    }
    const generation = generationOf(secretName);
    const state = refused
        ? "revoked"
        : !names
          ? "valid"
          : secretName === names.current
            ? "current"
            : secretName === names.previous
              ? "previous"
              : "not-deployed";
    return { secretName, generation, state, current: names?.current };
}

/** One line for a person: which generation, and what it means for the consumer. */
export function describeGeneration(g: TokenGeneration): string {
    const which = `${g.generation !== undefined ? `generation ${g.generation}` : "a token"} (Secret ${g.secretName})`;
    const current = g.current ? ` (Secret ${g.current})` : "";
    switch (g.state) {
        case "current":
            return `Token: ${which}, the current one.`;
        case "previous":
            return `Token: ${which}, the previous one: it works until the next rotation revokes it. Move to the current token${current} (pulumi stack output token).`;
        case "revoked":
            return `Token: ${which}, revoked: a rotation since (tokenRotation, or revokePreviousToken) or a replaced ServiceAccount removed it. Read the current token from the stack outputs.`;
        case "not-deployed":
            return `Token: ${which}, accepted, but the stack names neither it as current${current} nor as previous.`;
        case "valid":
            return `Token: ${which}, accepted. Whether it is current or previous: pulumi stack output tokenSecretName names the current one.`;
    }
}
