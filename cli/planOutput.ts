// The folder plan writes into. Plan writes only into a folder that is new, empty, or one it wrote before,
// and keeps a record of the files it wrote there, so that a later plan removes exactly those and nothing
// of the user's (a folder holding Pulumi.yaml or anything else it did not write is refused).
import * as fs from "fs";
import * as path from "path";

/** The record plan keeps in its output folder; kubectl apply -f skips it (no .yaml/.json extension). */
export const RECORD_FILE = ".kube-api-access-plan";

interface PlanRecord {
    readonly writtenBy: "kube-api-access plan";
    /** The program folder planned into this output folder. */
    readonly program: string;
    /** Paths relative to the output folder, in the order written. */
    readonly files: string[];
}

/** An output folder claimed for one plan run. */
export class PlanOutput {
    private readonly record: PlanRecord;

    private constructor(
        readonly dir: string,
        program: string,
    ) {
        this.record = { writtenBy: "kube-api-access plan", program, files: [] };
    }

    /**
     * Claims `dir` for a plan of `program`: creates it, or, when plan wrote it before for the same
     * program, removes the files its record lists. Throws, naming the folder and what is in it, for a
     * folder that holds anything plan did not write, or the plan of another program.
     */
    static claim(dir: string, program: string): PlanOutput {
        const out = new PlanOutput(path.resolve(dir), path.resolve(program));
        if (fs.existsSync(out.dir)) {
            if (!fs.statSync(out.dir).isDirectory()) {
                throw new Error(`--out ${dir} is a file, not a folder. Give a new or empty folder`);
            }
            out.takeOver(dir);
        } else {
            fs.mkdirSync(out.dir, { recursive: true });
        }
        out.save();
        return out;
    }

    /** Writes `text` to `rel` (relative to the folder) and records it before writing. */
    write(rel: string, text: string): string {
        const file = this.inside(rel);
        if (!file) {
            throw new Error(`plan tried to write ${rel} outside its output folder ${this.dir}`);
        }
        this.record.files.push(rel);
        this.save();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        return file;
    }

    private takeOver(given: string): void {
        const entries = fs.readdirSync(this.dir);
        if (entries.length === 0) {
            return;
        }
        const recordPath = path.join(this.dir, RECORD_FILE);
        if (!entries.includes(RECORD_FILE)) {
            const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? ", …" : "");
            throw new Error(
                `--out ${given} already holds files plan did not write (${shown}). Plan writes only into a new ` +
                    `or empty folder, or one it wrote before, and never removes anything else: give another --out`,
            );
        }
        const previous = JSON.parse(fs.readFileSync(recordPath, "utf8")) as Partial<PlanRecord>;
        if (previous.program && path.resolve(previous.program) !== this.record.program) {
            throw new Error(
                `--out ${given} holds the plan of another program (${previous.program}). Give another --out ` +
                    `(by default each program plans into plan-out/<project>/<stack>)`,
            );
        }
        const dirs = new Set<string>();
        for (const rel of previous.files ?? []) {
            const file = this.inside(rel);
            if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
                fs.rmSync(file);
                dirs.add(path.dirname(file));
            }
        }
        // Folders plan made for its files go too, but only when nothing else is left in them.
        for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
            if (d !== this.dir && fs.readdirSync(d).length === 0) {
                fs.rmdirSync(d);
            }
        }
    }

    /** The absolute path of `rel`, or undefined when it would leave the folder. */
    private inside(rel: string): string | undefined {
        const file = path.resolve(this.dir, rel);
        return file.startsWith(this.dir + path.sep) ? file : undefined;
    }

    private save(): void {
        fs.writeFileSync(path.join(this.dir, RECORD_FILE), JSON.stringify(this.record, null, 2) + "\n");
    }
}
