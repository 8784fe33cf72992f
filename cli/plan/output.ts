// The folder plan writes into. Plan writes only into a folder that is new, empty, or one it wrote before,
// and keeps a record there of each file it wrote with its content's SHA-256, so that a later plan removes
// exactly the files that still hold what it wrote. Files it did not write are kept; a file of its own that
// was changed since is kept too, and the plan refused, so nothing of the user's is removed or overwritten.
// Nothing is created or removed until every file is ready and every check has passed (commit): a plan that
// fails or is refused leaves the folder as it found it. No write or removal goes through a symlink plan did
// not create.
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
    /** The stack planned into it (absent in records of older versions). */
    readonly stack?: string;
    /** The files plan wrote, in the order written. */
    readonly files: WrittenFile[];
}

const sha256 = (content: string | Buffer): string => createHash("sha256").update(content).digest("hex");

/** An output folder claimed for one plan run. */
export class PlanOutput {
    private readonly record: PlanRecord;
    /** Files of the previous plan, still as it wrote them: removed before the first write. */
    private stale: string[] = [];
    /** The files to write, in order, as commit writes them. */
    private readonly pending: { rel: string; file: string; text: string }[] = [];
    /** Files in the folder that plan did not write, kept as they are (relative paths). */
    readonly kept: string[] = [];

    private constructor(
        readonly dir: string,
        program: string,
        stack: string,
    ) {
        this.record = { writtenBy: "kube-api-access plan", program, stack, files: [] };
    }

    /**
     * Claims `dir` for a plan of `stack` of `program`, changing nothing yet. Throws, naming the folder and
     * the files, for a file in its place, a non-empty folder with no plan record (a folder inside a plan's
     * own, such as its manifests/, named as such), a record that is not plan's, another program's or
     * another stack's plan, or a file plan wrote there that was changed since.
     */
    static claim(dir: string, program: string, stack: string, given = dir): PlanOutput {
        const out = new PlanOutput(path.resolve(dir), path.resolve(program), stack);
        // The nearest path that exists: a file there (--out afile/sub) means no folder can be made.
        let existing = out.dir;
        while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
            existing = path.dirname(existing);
        }
        if (!fs.statSync(existing).isDirectory()) {
            throw new Error(
                existing === out.dir
                    ? `--out ${given} is a file, not a folder. Give a new or empty folder`
                    : `--out ${given}: ${existing} is a file, so no folder can be made below it. Give a new or empty folder elsewhere`,
            );
        }
        if (existing === out.dir) {
            out.inspect(given);
        }
        return out;
    }

    /**
     * Adds `text` at `rel` (relative to the folder) to what commit writes; nothing is written yet.
     * Returns the file's absolute path.
     */
    write(rel: string, text: string): string {
        const file = this.inside(rel);
        if (!file) {
            throw new Error(`plan tried to write ${rel} outside its output folder ${this.dir}`);
        }
        if (this.pending.some((p) => p.file === file)) {
            throw new Error(`plan tried to write ${rel} twice in ${this.dir}`);
        }
        this.pending.push({ rel, file, text });
        return file;
    }

    /** The texts given to write so far, as given. */
    texts(): string[] {
        return this.pending.map((p) => p.text);
    }

    /**
     * Writes every file given to write, each text through `scrub` (hashed as written), after every check:
     * a file plan did not write where it would write one, or a symlink plan did not create on the way to a
     * file it would write or remove, refuses the plan with nothing changed. Only then is the folder made,
     * the previous plan's files removed and the record started.
     */
    commit(scrub: (text: string) => string = (t) => t): void {
        const stale = new Set(this.stale);
        for (const p of this.pending) {
            this.refuseSymlinks(p.rel);
            if (!stale.has(p.file) && lexists(p.file)) {
                throw new Error(
                    `--out ${this.dir}: plan would write ${p.rel}, but a file it did not write is there. ` +
                        `Plan never overwrites a file of yours, and changed nothing: move it, or give another --out`,
                );
            }
        }
        this.refuseSymlinks(RECORD_FILE);
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
        const written = this.pending.map((p) => ({ ...p, text: scrub(p.text) }));
        this.record.files.push(...written.map((p) => ({ path: p.rel, sha256: sha256(p.text) })));
        this.save();
        for (const p of written) {
            fs.mkdirSync(path.dirname(p.file), { recursive: true });
            fs.writeFileSync(p.file, p.text, { flag: "wx" });
        }
    }

    /**
     * Throws, naming it, when `rel` or a folder on the way to it below the output folder is a symlink:
     * plan never writes or removes through a link it did not create (it could lead outside --out).
     */
    private refuseSymlinks(rel: string): void {
        let at = this.dir;
        for (const part of path
            .normalize(rel)
            .split(path.sep)
            .filter((p) => p !== "." && p !== "")) {
            at = path.join(at, part);
            if (!lexists(at)) {
                return;
            }
            if (fs.lstatSync(at).isSymbolicLink()) {
                throw new Error(
                    `--out ${this.dir}: ${path.relative(this.dir, at)} is a symlink (to ${fs.readlinkSync(at)}), ` +
                        `which plan did not create; it never writes or removes files through one, and changed ` +
                        `nothing. Remove the link or give another --out`,
                );
            }
        }
    }

    /** Checks an existing folder and finds what the previous plan left, removing nothing. */
    private inspect(given: string): void {
        const entries = fs.readdirSync(this.dir);
        if (entries.length === 0) {
            return;
        }
        if (!entries.includes(RECORD_FILE)) {
            const owner = enclosingPlan(this.dir);
            if (owner) {
                throw new Error(
                    `--out ${given} is inside the output folder of a plan, ${owner}, which wrote its files; plan ` +
                        `writes a whole output folder (plan.json, manifests/, patches/). Give --out ${owner} to plan ` +
                        `into it again, or a new folder`,
                );
            }
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
        if (previous.stack !== undefined && previous.stack !== this.record.stack) {
            throw new Error(
                `--out ${given} holds the plan of stack ${previous.stack}; plan replaces only its own stack's plan, ` +
                    `so that one stack's plan never silently takes another's place. Give another --out (by default ` +
                    `each stack plans into plan-out/<project>/<stack>), or remove the folder yourself`,
            );
        }
        const recorded = new Set<string>();
        const changed: string[] = [];
        for (const entry of previous.files) {
            const file = this.inside(entry.path);
            if (!file) {
                continue;
            }
            this.refuseSymlinks(path.dirname(entry.path));
            if (!lexists(file)) {
                continue;
            }
            recorded.add(file);
            // A link where plan wrote a file is not its own (lstat): kept, like a changed file.
            if (fs.lstatSync(file).isFile() && sha256(fs.readFileSync(file)) === entry.sha256) {
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
        (record.stack === undefined || typeof record.stack === "string") &&
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

/**
 * The nearest folder above `dir` that holds a plan record listing a file below `dir`: the output folder
 * of a plan that `dir` is part of (its manifests/, say), or undefined.
 */
function enclosingPlan(dir: string): string | undefined {
    for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
        const file = path.join(up, RECORD_FILE);
        if (!fs.existsSync(file)) {
            continue;
        }
        try {
            const record = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<PlanRecord>;
            const below = path.relative(up, dir) + path.sep;
            return (record.files ?? []).some((f) => typeof f?.path === "string" && f.path.startsWith(below))
                ? up
                : undefined;
        } catch {
            return undefined;
        }
    }
    return undefined;
}

/** Whether `file` exists, a dangling symlink included (fs.existsSync follows links). */
function lexists(file: string): boolean {
    try {
        fs.lstatSync(file);
        return true;
    } catch {
        return false;
    }
}

/** Every file below `dir`, absolute paths. */
function listFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
