// The folder plan writes into. Plan writes only into a folder that is new, empty, or one it wrote before,
// and keeps a record there of each file it wrote with its content's SHA-256, so that a later plan removes
// exactly the files that still hold what it wrote. Files it did not write are kept; a file of its own that
// was changed since is kept too, and the plan refused, so nothing of the user's is removed or overwritten.
// Nothing is created or removed before the first file is written: a plan that fails earlier leaves the
// folder as it found it.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The record plan keeps in its output folder; kubectl apply -f skips it (no .yaml/.json extension). */
export const RECORD_FILE = ".kube-api-access-plan";

interface WrittenFile {
    /** Relative to the output folder. */
    readonly path: string;
    /** SHA-256 of the content plan wrote, hex. */
    readonly sha256: string;
}

interface PlanRecord {
    readonly writtenBy: "kube-api-access plan";
    /** The program folder planned into this output folder. */
    readonly program: string;
    /** The files plan wrote, in the order written. */
    readonly files: WrittenFile[];
}

const sha256 = (content: string | Buffer): string => createHash("sha256").update(content).digest("hex");

/** An output folder claimed for one plan run. */
export class PlanOutput {
    private readonly record: PlanRecord;
    /** Files of the previous plan, still as it wrote them: removed before the first write. */
    private stale: string[] = [];
    /** Files in the folder that plan did not write, kept as they are (relative paths). */
    readonly kept: string[] = [];
    private started = false;

    private constructor(
        readonly dir: string,
        program: string,
    ) {
        this.record = { writtenBy: "kube-api-access plan", program, files: [] };
    }

    /**
     * Claims `dir` for a plan of `program`, changing nothing yet. Throws, naming the folder and the
     * files, for a file in its place, a non-empty folder with no plan record, a record that is not
     * plan's, another program's plan, or a file plan wrote there that was changed since.
     */
    static claim(dir: string, program: string): PlanOutput {
        const out = new PlanOutput(path.resolve(dir), path.resolve(program));
        if (fs.existsSync(out.dir)) {
            if (!fs.statSync(out.dir).isDirectory()) {
                throw new Error(`--out ${dir} is a file, not a folder. Give a new or empty folder`);
            }
            out.inspect(dir);
        }
        return out;
    }

    /** Writes `text` to `rel` (relative to the folder) and records it with its hash before writing. */
    write(rel: string, text: string): string {
        const file = this.inside(rel);
        if (!file) {
            throw new Error(`plan tried to write ${rel} outside its output folder ${this.dir}`);
        }
        this.start();
        if (fs.existsSync(file)) {
            throw new Error(
                `--out ${this.dir}: plan would write ${rel}, but a file it did not write is there. ` +
                    `Plan never overwrites a file of yours: move it, or give another --out`,
            );
        }
        this.record.files.push({ path: rel, sha256: sha256(text) });
        this.save();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text, { flag: "wx" });
        return file;
    }

    /** On the first write: the folder made, the previous plan's files removed, the record started. */
    private start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        fs.mkdirSync(this.dir, { recursive: true });
        const dirs = new Set<string>();
        for (const file of this.stale) {
            fs.rmSync(file);
            dirs.add(path.dirname(file));
        }
        // Folders plan made for its files go too, but only when nothing else is left in them.
        for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
            if (d !== this.dir && fs.readdirSync(d).length === 0) {
                fs.rmdirSync(d);
            }
        }
        this.save();
    }

    /** Checks an existing folder and finds what the previous plan left, removing nothing. */
    private inspect(given: string): void {
        const entries = fs.readdirSync(this.dir);
        if (entries.length === 0) {
            return;
        }
        if (!entries.includes(RECORD_FILE)) {
            const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? ", …" : "");
            throw new Error(
                `--out ${given} already holds files plan did not write (${shown}). Plan writes only into a new ` +
                    `or empty folder, or one it wrote before, and never removes anything else: give another --out`,
            );
        }
        const previous = readRecord(path.join(this.dir, RECORD_FILE), given);
        if (path.resolve(previous.program) !== this.record.program) {
            throw new Error(
                `--out ${given} holds the plan of another program (${previous.program}). Give another --out ` +
                    `(by default each program plans into a folder of its own under plan-out/)`,
            );
        }
        const recorded = new Set<string>();
        const changed: string[] = [];
        for (const entry of previous.files) {
            const file = this.inside(entry.path);
            if (!file || !fs.existsSync(file)) {
                continue;
            }
            recorded.add(file);
            if (fs.statSync(file).isFile() && sha256(fs.readFileSync(file)) === entry.sha256) {
                this.stale.push(file);
            } else {
                changed.push(entry.path);
            }
        }
        if (changed.length > 0) {
            throw new Error(
                `--out ${given}: ${changed.join(", ")} changed since plan wrote ${changed.length > 1 ? "them" : "it"}. ` +
                    `Plan removes only files that still hold what it wrote, and keeps ${changed.length > 1 ? "these" : "this"}: ` +
                    `move ${changed.length > 1 ? "them" : "it"} out of the folder, or give another --out`,
            );
        }
        const others = listFiles(this.dir).filter(
            (f) => !recorded.has(f) && path.basename(f) !== RECORD_FILE,
        );
        this.kept.push(...others.map((f) => path.relative(this.dir, f)));
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

/** The previous plan's record, checked; throws naming the record when it is not one plan wrote. */
function readRecord(file: string, given: string): PlanRecord {
    const refuse = (why: string) =>
        new Error(
            `--out ${given}: its plan record ${RECORD_FILE} ${why}, so plan cannot tell which files are its own ` +
                `and removes none. Give another --out, or delete the folder yourself if nothing in it is yours`,
        );
    let record: Partial<PlanRecord>;
    try {
        record = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<PlanRecord>;
    } catch (err) {
        throw refuse(`is not JSON (${(err as Error).message.replace(/\s+/g, " ")})`);
    }
    const valid =
        record?.writtenBy === "kube-api-access plan" &&
        typeof record.program === "string" &&
        Array.isArray(record.files) &&
        record.files.every(
            (f) =>
                typeof f?.path === "string" &&
                typeof f.sha256 === "string" &&
                /^[0-9a-f]{64}$/.test(f.sha256),
        );
    if (!valid) {
        throw refuse("is not one this version of plan wrote (each file with its sha256)");
    }
    return record as PlanRecord;
}

/** Every file below `dir`, absolute paths. */
function listFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
