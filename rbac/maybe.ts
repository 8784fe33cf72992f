// A value that may not be known yet: the policy pack sees preview unknowns, the evaluator says "unknown"
// when a selector or a role cannot be resolved. Free of any SDK import so the component can load it.

/** Marks a value that is not known (during a preview, or because it cannot be resolved). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Maybe<T> = T | typeof UNKNOWN;

export const isKnown = <T>(value: Maybe<T>): value is T => value !== UNKNOWN;
