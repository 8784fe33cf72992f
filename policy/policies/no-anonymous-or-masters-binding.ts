// Advisory: roles bound to anonymous or unauthenticated requests are open to anyone who reaches the API
// server; system:masters bypasses RBAC altogether.
import { bindingHygienePolicy } from "../lib/hygiene";
import { isKnown, read, stringField } from "../lib/kubernetes";

const DANGEROUS: Record<string, string> = {
    "system:anonymous": "every request without credentials",
    "system:unauthenticated": "every request without credentials",
    "system:masters": "a group that bypasses RBAC authorization entirely",
};

export const noAnonymousOrMastersBinding = bindingHygienePolicy<object>({
    name: "no-anonymous-or-masters-binding",
    description: "Flags bindings to system:anonymous, system:unauthenticated or system:masters.",
    find: (binding) => {
        const subjects = read(() => binding.subjects as unknown[] | undefined);
        if (!isKnown(subjects) || !Array.isArray(subjects)) {
            return undefined;
        }
        const found = [...subjects]
            .map((s) => stringField(s, "name"))
            .filter((n): n is string => isKnown(n) && n !== undefined && n in DANGEROUS);
        return found.length > 0
            ? `grants its role to ${found.map((n) => `"${n}" (${DANGEROUS[n]})`).join(", ")}`
            : undefined;
    },
    advice: "Bind the role to the dedicated identity that needs it.",
    remediationSteps: "Remove these subjects; bind a dedicated ServiceAccount instead.",
});
