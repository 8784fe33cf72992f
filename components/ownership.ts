// Ownership: the component never takes over an object it did not create. Every object of a fixed name it
// makes carries an owner annotation (the component's URN); before any of them is registered, the cluster is
// read, and an object of the same name that exists without this stack's annotation stops the deployment.
//
// Why a check of our own: the pinned Kubernetes provider (4.25.0) creates with server-side apply, which
// upserts an object that already exists, reports it "created", and `pulumi destroy` then deletes it
// (pulumi/pulumi-kubernetes#2926; await.Creation in provider/pkg/await/await.go at v4.25.0 always sends
// an apply PATCH; fixed upstream by #4278, after 4.25.0). See docs/ownership.md.
import * as pulumi from "@pulumi/pulumi";
import { ANNOTATIONS } from "./metadata";

/** An object of a fixed name the component creates. `namespace` is undefined for cluster-scoped kinds. */
export interface FixedObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
}

/** What the check learns of an object: its annotations, or `undefined` when the object does not exist. */
export type ReadObject = (
    object: FixedObject,
) => Promise<{ annotations: Record<string, string> } | undefined>;

/**
 * Raised when an object the component would create exists and this stack did not create it, or cannot be
 * read. A ResourceError with its stack hidden: the Pulumi CLI then shows the message alone, attached to the
 * component (the Node.js host's unhandled-rejection handler, @pulumi/pulumi cmd/run/run.ts, formats any
 * other error with util.inspect, which was seen to take minutes for this one under the real engine).
 */
export class ForeignObjectError extends pulumi.ResourceError {
    constructor(
        readonly component: string,
        readonly problems: string[],
        resource?: pulumi.Resource,
        /** What was not created or changed: everything, or (for a check of names known later) the objects checked. */
        what = "anything",
    ) {
        const message =
            `ApiServiceAccount "${component}" stopped before creating or changing ${what}:\n` +
            problems.map((p) => `  - ${p}`).join("\n");
        super(message, resource, true);
        this.name = "ForeignObjectError";
        // One error fails every child that waits on the check, and the SDK prefixes the same error's message
        // with `error serializing property "<key>": ` for each of them (serializeProperties in @pulumi/pulumi
        // runtime/rpc.ts), burying what to do under a chain of property names: the message stays as written.
        Object.defineProperty(this, "message", {
            get: () => message,
            set: () => undefined,
            enumerable: false,
            configurable: true,
        });
    }
}

/** `Kind "namespace/name"` or `Kind "name"`, as messages name an object. */
export const objectLabel = (o: FixedObject): string =>
    `${o.kind} ${JSON.stringify(o.namespace ? `${o.namespace}/${o.name}` : o.name)}`;

/**
 * Reads every claimed object and returns one problem per object that exists without `owner` in its owner
 * annotation, or that could not be read. Empty when the stack may go on.
 */
export async function foreignObjects(
    claims: readonly FixedObject[],
    owner: string,
    read: ReadObject,
): Promise<string[]> {
    let unreachable: string | undefined;
    const found = await Promise.all(
        claims.map(async (object) => {
            try {
                const live = await read(object);
                return live === undefined || live.annotations[ANNOTATIONS.owner] === owner
                    ? undefined
                    : foreignProblem(object, owner, live.annotations[ANNOTATIONS.owner]);
            } catch (err) {
                if ((err as Error).name === "UnreachableError") {
                    unreachable = `${(err as Error).message}: no object could be checked. Check the kubeconfig's server and the network, then run pulumi up again.`;
                    return undefined;
                }
                return (
                    `${objectLabel(object)} could not be read to check who created it ` +
                    `(${(err as Error).message}). Give the identity running pulumi up "get" on it ` +
                    `(npm run plan prints every permission the deployer needs), then run pulumi up again.`
                );
            }
        }),
    );
    return unreachable ? [unreachable] : found.filter((p): p is string => p !== undefined);
}

function foreignProblem(object: FixedObject, owner: string, otherOwner: string | undefined): string {
    const who = otherOwner
        ? `it belongs to ${otherOwner} (annotation ${ANNOTATIONS.owner})`
        : `it has no ${ANNOTATIONS.owner} annotation naming this stack's component`;
    const fix =
        object.kind === "Namespace"
            ? `Set createNamespace: false to use the existing namespace (the stack then never deletes it), or choose another namespace`
            : `Choose another serviceAccountName (the component names its objects after the account), or delete the ` +
              `existing object if nothing uses it`;
    const annotate = [
        "kubectl annotate",
        object.kind.toLowerCase(),
        object.name,
        ...(object.namespace ? ["-n", object.namespace] : []),
        `${ANNOTATIONS.owner}=${owner}`,
        ...(otherOwner ? ["--overwrite"] : []),
    ].join(" ");
    return (
        `${objectLabel(object)} exists and ${who}: the Kubernetes provider would take it over and pulumi destroy ` +
        `would delete it. ${fix}. Only if this stack created it (with a kube-api-access release that did not ` +
        `mark its objects) mark it as this stack's: ${annotate}`
    );
}

/**
 * The owner annotation of the component's children and the check behind it. Every child of a fixed name
 * takes its annotation from `annotate`, whose value is known only once the check found no object of those
 * names that this stack did not create: the SDK registers a child only when its inputs are known, so a
 * failed check stops the deployment before any child reaches the engine.
 */
export class Ownership {
    private readonly claims: FixedObject[] = [];
    /** The owner annotation's value (the component's URN), known once the check has passed. */
    readonly owner: pulumi.Output<string>;
    private readonly component: string;
    private readonly reader: pulumi.Output<ReadObject> | undefined;
    private readonly parent: pulumi.Resource;

    /**
     * `reader` is undefined where no cluster can be read (unit-test mocks); then nothing is checked. Claims
     * are gathered while the constructor runs; the check starts once the component's URN is known, which
     * is after the constructor has returned, so it sees every claim.
     */
    constructor(parent: pulumi.Resource, component: string, reader: pulumi.Output<ReadObject> | undefined) {
        // The URN without its resource: a child depending on its parent component would wait for the
        // component's children, that is for itself (the SDK expands a dependency on a component).
        const urn = pulumi.output(new Promise<string>((resolve) => parent.urn.apply(resolve)));
        this.component = component;
        this.reader = reader;
        this.parent = parent;
        // The URN is not secret, even when the kubeconfig the reader was made from is.
        this.owner = reader
            ? pulumi.unsecret(
                  pulumi
                      .all([urn, reader])
                      .apply(([ownerUrn, read]) => this.checked(this.claims, ownerUrn, read)),
              )
            : urn;
    }

    /** `ownerUrn` once no object of `claims` exists that it did not create; else a ForeignObjectError. */
    private async checked(
        claims: readonly FixedObject[],
        ownerUrn: string,
        read: ReadObject,
        what?: string,
    ): Promise<string> {
        const problems = await foreignObjects(claims, ownerUrn, read);
        if (problems.length > 0) {
            throw new ForeignObjectError(this.component, problems, this.parent, what);
        }
        return ownerUrn;
    }

    /** The owner annotation of `object`, recorded for the check. Spread it into the object's annotations. */
    annotate(object: FixedObject): Record<string, pulumi.Output<string>> {
        this.claim(object);
        return { [ANNOTATIONS.owner]: this.owner };
    }

    /** Records `object` for the check without annotating anything with it (a name the stack may use). */
    claim(object: FixedObject): void {
        this.claims.push(object);
    }

    /**
     * The owner annotation's value for an object whose name is known only once other children exist (a token
     * Secret named after its generation, which the ServiceAccount's ledger gives): after the check above, the
     * same check of that one object. Its Output fails, so the object (and whatever waits on the value) is never
     * registered, when an object of that name exists that this stack did not create.
     */
    checkNamed(object: pulumi.Output<FixedObject>, what: string): pulumi.Output<string> {
        const reader = this.reader;
        if (!reader) {
            return this.owner;
        }
        return pulumi.unsecret(
            pulumi
                .all([this.owner, object, reader])
                .apply(([ownerUrn, named, read]) => this.checked([named], ownerUrn, read, what)),
        );
    }
}
