// Own-key lookup for the shipped sources (rbac/, components/), which a consumer compiles with its own
// settings: Pulumi's TypeScript template targets ES2020, whose lib has no Object.hasOwn (ES2022).

/** True when `key` is the object's own property, not one of its prototype's (`constructor`, `toString`). */
export const hasOwnKey = (object: object, key: string): boolean =>
    Object.prototype.hasOwnProperty.call(object, key);
