// N ApiServiceAccounts, each in its own namespace, with the project's default (read-only) settings.
"use strict";
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config();
const { ApiServiceAccount } = require(config.require("components"));
const n = config.requireNumber("accounts");
for (let i = 0; i < n; i++) {
    new ApiServiceAccount(`bench-${i}`, { namespace: `bench-scale-${i}` });
}
exports.accounts = n;
