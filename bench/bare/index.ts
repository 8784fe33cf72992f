// The baseline for start-up: a bare Pulumi program that registers one Kubernetes resource.
import * as k8s from "@pulumi/kubernetes";

export const name = new k8s.core.v1.Namespace("bare", { metadata: { name: "bare" } }).metadata.name;
