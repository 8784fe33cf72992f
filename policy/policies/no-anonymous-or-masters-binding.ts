// Advisory: roles bound to anonymous or unauthenticated requests are open to anyone who reaches the API
// server; system:masters bypasses RBAC altogether. The subjects come from the sensitive table.
import { bindingHygienePolicy } from "../lib/hygiene";
import { elementsOf, isKnown, stringField } from "../lib/kubernetes";
import { rowsOf } from "../../rbac/sensitive";

// A Map, not an object: a subject named "constructor" must not find an inherited property.
const DANGEROUS = new Map(
    rowsOf("no-anonymous-or-masters-binding", "subject").map((r) => [r.subject, r.reaches]),
);

export const noAnonymousOrMastersBinding = bindingHygienePolicy<object>({
    name: "no-anonymous-or-masters-binding",
    description: "Flags bindings to system:anonymous, system:unauthenticated or system:masters.",
    find: (binding) => {
        const subjects = elementsOf(binding, "subjects");
        if (!isKnown(subjects)) {
            return "has subjects not known during this preview, so this advisory did not check them";
        }
        const found: string[] = [];
        const unknown: number[] = [];
        subjects.forEach((s, i) => {
            const name = stringField(s, "name");
            if (!isKnown(s) || !isKnown(name)) {
                unknown.push(i);
            } else if (name !== undefined && DANGEROUS.has(name)) {
                found.push(`"${name}" (${DANGEROUS.get(name)})`);
            }
        });
        const parts = [
            ...(found.length > 0 ? [`grants its role to ${found.join(", ")}`] : []),
            ...(unknown.length > 0
                ? [`has subject ${unknown.join(", ")} not known during this preview, not checked`]
                : []),
        ];
        return parts.length > 0 ? parts.join("; ") : undefined;
    },
    advice: "Bind the role to the dedicated identity that needs it.",
    remediationSteps: "Remove these subjects; bind a dedicated ServiceAccount instead.",
});
