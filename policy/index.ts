// The kube-api-access policy pack: the mandatory default-account rules, and RBAC hygiene advisories.
// Each policy's level can be changed (mandatory, advisory, disabled) with --policy-pack-config.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("kube-api-access-policies", { policies });
