// The one problem format (plain function level): a reason ending in a question gets no extra full stop.
import * as assert from "assert";
import { formatProblem, problemList } from "../../components/problems";
import { suggestion } from "../../components/suggest";

describe("problem messages (plain function)", () => {
    it("end each sentence once: no '?.' after a did-you-mean, no '..' after a stop", () => {
        const { problems, fail } = problemList();
        fail(["args", "verb"], ["list"], `no field "verb"${suggestion("verb", ["verbs"])}`, "Use only verbs");
        fail(["args", "x"], 1, "it ends in a stop.", "Fix it.");
        fail(["args", "y"], "a", "it is wrong", "Use b");
        assert.deepStrictEqual(
            problems.map((p) => formatProblem(p)),
            [
                'args.verb ["list"]: no field "verb"; did you mean verbs? Use only verbs.',
                "args.x 1: it ends in a stop. Fix it.",
                'args.y "a": it is wrong. Use b.',
            ],
        );
    });
});
