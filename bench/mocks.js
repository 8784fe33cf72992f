// The mock cluster both benchmark runners share: answers registrations as the API server would (UIDs,
// a filled token Secret), at the least cost, so that the figures are the program's and the SDK's.
"use strict";

/** Installs the mocks for `project` and returns a counter of registrations. */
async function installBenchMocks(pulumi, project) {
    const counter = { registered: 0 };
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                counter.registered++;
                const state = { ...args.inputs };
                if (args.type === "kubernetes:core/v1:Secret") {
                    const b64 = (s) => Buffer.from(s).toString("base64");
                    state.data = {
                        token: b64(`token-${args.name}`),
                        "ca.crt": b64("-----BEGIN CERTIFICATE-----\n"),
                    };
                }
                if (state.metadata) {
                    state.metadata = { ...state.metadata, uid: `uid-${args.name}` };
                }
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                throw new Error(`no mock for ${args.token}`);
            },
        },
        project,
        "bench",
        false,
    );
    return counter;
}

module.exports = { installBenchMocks };
