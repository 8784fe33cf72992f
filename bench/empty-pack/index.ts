// No policies: what the SDK and gRPC cost on their own.
import { PolicyPack } from "@pulumi/policy";

new PolicyPack("empty-pack", { policies: [] });
