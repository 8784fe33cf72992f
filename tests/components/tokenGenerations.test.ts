// Level 1 (pure functions): the token ledger's transitions over a sequence of rotations, the names each
// generation's Secret gets, and the ledger read back from an annotation someone may have edited.
import * as assert from "assert";
import {
    generationNames,
    nextLedger,
    parseLedger,
    TokenLedger,
    tokenSecretNameFor,
} from "../../components/tokenGenerations";

describe("token generations (tokenGenerations.ts)", () => {
    it("starts with generation 1 in slot 0, under the name single-token versions used, and an empty slot 1", () => {
        const ledger = nextLedger(undefined, "m1", false);
        assert.deepStrictEqual(ledger, { marker: "m1", current: 0, slots: [1, 0], last: 1 });
        assert.deepStrictEqual(generationNames("sa", ledger), { current: "sa-token", previous: "" });
    });

    it("changes nothing while the rotation marker stays the same", () => {
        const ledger: TokenLedger = { marker: "m2", current: 1, slots: [1, 2], last: 2 };
        assert.deepStrictEqual(nextLedger(ledger, "m2", false), ledger);
    });

    it("each rotation puts the next generation in the other slot and keeps the previous one", () => {
        let ledger = nextLedger(undefined, "m1", false);
        const seen: { current: string; previous: string }[] = [];
        for (const marker of ["m2", "m3", "m4"]) {
            ledger = nextLedger(ledger, marker, false);
            seen.push(generationNames("sa", ledger));
        }
        assert.deepStrictEqual(seen, [
            { current: "sa-token-2", previous: "sa-token" },
            { current: "sa-token-3", previous: "sa-token-2" },
            { current: "sa-token-4", previous: "sa-token-3" },
        ]);
        assert.deepStrictEqual(ledger, { marker: "m4", current: 1, slots: [3, 4], last: 4 });
    });

    it("revokePrevious empties the previous slot, with a rotation or on its own, and numbering goes on", () => {
        const rotated = nextLedger(nextLedger(undefined, "m1", false), "m2", true);
        assert.deepStrictEqual(rotated, { marker: "m2", current: 1, slots: [0, 2], last: 2 });
        assert.deepStrictEqual(generationNames("sa", rotated), { current: "sa-token-2", previous: "" });
        const kept = nextLedger(rotated, "m3", false);
        assert.deepStrictEqual(kept, { marker: "m3", current: 0, slots: [3, 2], last: 3 });
        const revokedLater = nextLedger(kept, "m3", true);
        assert.deepStrictEqual(revokedLater, { marker: "m3", current: 0, slots: [3, 0], last: 3 });
    });

    it("names generations and empty slots apart", () => {
        assert.strictEqual(tokenSecretNameFor("sa", 1, 0), "sa-token");
        assert.strictEqual(tokenSecretNameFor("sa", 1, 1), "sa-token");
        assert.strictEqual(tokenSecretNameFor("sa", 7, 0), "sa-token-7");
        assert.strictEqual(tokenSecretNameFor("sa", 0, 0), "sa-token-unused-a");
        assert.strictEqual(tokenSecretNameFor("sa", 0, 1), "sa-token-unused-b");
    });

    it("reads back the ledger it writes, and nothing else", () => {
        const ledger: TokenLedger = { marker: "m", current: 1, slots: [3, 4], last: 4 };
        assert.deepStrictEqual(parseLedger(JSON.stringify(ledger)), ledger);
        for (const bad of [
            undefined,
            "",
            "not json",
            "null",
            "[]",
            JSON.stringify({ ...ledger, current: 2 }),
            JSON.stringify({ ...ledger, slots: [3] }),
            JSON.stringify({ ...ledger, slots: [3, -1] }),
            JSON.stringify({ ...ledger, slots: [3, 0], current: 1 }),
            JSON.stringify({ ...ledger, last: 3 }),
            JSON.stringify({ ...ledger, marker: 5 }),
        ]) {
            assert.strictEqual(parseLedger(bad), undefined, String(bad));
        }
    });
});
