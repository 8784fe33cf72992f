// Command pulumi-language-nodejs is the toolchain's Node.js language host. The Go module proxy serves no
// current nodejs language host, only the one inside sdk/v3 up to v3.68.0 (see toolchain/versions.env). That
// host runs programs under the current CLI and SDK but answers RunPlugin with "not supported", so the CLI
// can start neither a policy pack (`pulumi preview --policy-pack DIR`) nor a source-based component package
// (a PulumiPlugin.yaml folder, used by `packages:` of a YAML program or `pulumi package get-schema DIR`).
// This command starts that host (the binary named by innerHost, beside this one), relays every other gRPC
// call to it unchanged, and serves RunPlugin itself as current hosts do (upstream:
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin): node from PATH runs the plugin folder's own
// @pulumi/pulumi/cmd/run-plugin (a provider, which prints its port first) or cmd/run-policy-pack (a policy
// pack, through the SDK's PolicyProxy, which hands the pack the stack's configuration). The relay's own
// gRPC health service answers the engine's health checks.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/google/shlex"
	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

// innerHost is the file name of the wrapped language host, set at build time (-X main.innerHost=...).
var innerHost = "pulumi-language-nodejs-inner"

const runPluginMethod = "/pulumirpc.LanguageRuntime/RunPlugin"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	inner := exec.Command(filepath.Join(filepath.Dir(exe), innerHost), os.Args[1:]...)
	inner.Stderr = os.Stderr
	// The inner host must not outlive this process, however the engine ends it.
	inner.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	innerOut, err := inner.StdoutPipe()
	if err != nil {
		return err
	}
	if err := inner.Start(); err != nil {
		return err
	}
	// A plugin's first line on stdout is the port it serves on.
	lines := bufio.NewReader(innerOut)
	port, err := lines.ReadString('\n')
	if err != nil {
		return fmt.Errorf("%s printed no port: %w", innerHost, err)
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		return err
	}
	relay := &relay{conn: conn}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Options: []grpc.ServerOption{grpc.ForceServerCodec(rawCodec{}), grpc.UnknownServiceHandler(relay.handle)},
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d\n", handle.Port)
	go func() { _, _ = io.Copy(os.Stdout, lines) }()
	if err := inner.Wait(); err != nil {
		return fmt.Errorf("%s: %w", innerHost, err)
	}
	return nil
}

// rawCodec passes relayed messages through as bytes, so the relay needs no knowledge of the inner host's
// API, and encodes the messages of the services the relay serves itself (gRPC health checks, reflection)
// as protobuf: the server codec applies to every service, not only to the relayed ones.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case *[]byte:
		return *m, nil
	case proto.Message:
		return proto.Marshal(m)
	}
	return nil, fmt.Errorf("cannot encode a %T", v)
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	switch m := v.(type) {
	case *[]byte:
		*m = append([]byte(nil), data...)
		return nil
	case proto.Message:
		return proto.Unmarshal(data, m)
	}
	return fmt.Errorf("cannot decode into a %T", v)
}

func (rawCodec) Name() string { return "proto" }

type relay struct{ conn *grpc.ClientConn }

// handle serves every call: RunPlugin here, everything else by the inner host.
func (r *relay) handle(_ any, server grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(server)
	if method != runPluginMethod {
		return r.forward(method, server)
	}
	msg := []byte{}
	if err := server.RecvMsg(&msg); err != nil {
		return err
	}
	req := &pulumirpc.RunPluginRequest{}
	if err := proto.Unmarshal(msg, req); err != nil {
		return err
	}
	return runPlugin(req, &runPluginStream{server})
}

// forward relays one call of any shape (unary or streaming) to the inner host, status and trailers included.
func (r *relay) forward(method string, server grpc.ServerStream) error {
	ctx, cancel := context.WithCancel(server.Context())
	defer cancel()
	md, _ := metadata.FromIncomingContext(ctx)
	client, err := r.conn.NewStream(metadata.NewOutgoingContext(ctx, md.Copy()),
		&grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method)
	if err != nil {
		return err
	}
	go func() {
		for {
			msg := []byte{}
			if err := server.RecvMsg(&msg); err != nil {
				_ = client.CloseSend()
				return
			}
			if client.SendMsg(&msg) != nil {
				return
			}
		}
	}()
	for sentHeader := false; ; {
		msg := []byte{}
		err := client.RecvMsg(&msg)
		if !sentHeader {
			if header, herr := client.Header(); herr == nil {
				_ = server.SendHeader(header)
			}
			sentHeader = true
		}
		if err != nil {
			server.SetTrailer(client.Trailer())
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := server.SendMsg(&msg); err != nil {
			return err
		}
	}
}

// runPluginStream lets the SDK's RunPlugin output helpers write to a relayed (raw) stream.
type runPluginStream struct{ grpc.ServerStream }

func (s *runPluginStream) Send(resp *pulumirpc.RunPluginResponse) error {
	msg, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	return s.SendMsg(&msg)
}

// nodeOptions are the `runtime.options` of the plugin's PulumiPlugin.yaml (or PulumiPolicy.yaml) that
// RunPlugin honours, with upstream's defaults (parseOptions in upstream's main.go).
type nodeOptions struct {
	typescript   bool
	tsconfigPath string
	nodeargs     string
}

func parseOptions(options map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true}
	var ok bool
	if v, set := options["typescript"]; set {
		if opts.typescript, ok = v.(bool); !ok {
			return opts, fmt.Errorf("runtime option typescript must be a boolean, not %v", v)
		}
	}
	if v, set := options["tsconfig"]; set {
		if opts.tsconfigPath, ok = v.(string); !ok {
			return opts, fmt.Errorf("runtime option tsconfig must be a string, not %v", v)
		}
	}
	if v, set := options["nodeargs"]; set {
		if opts.nodeargs, ok = v.(string); !ok {
			return opts, fmt.Errorf("runtime option nodeargs must be a string, not %v", v)
		}
	}
	return opts, nil
}

// runPlugin runs a Node.js plugin for the engine, with its output streamed back over RunPlugin:
//   - a policy pack (kind "analyzer"): `node run-policy-pack NODEARGS ARGS... DIR` in the pack's folder, with
//     the stack's configuration in the environment variables the Node.js SDK reads;
//   - any other plugin (a resource provider: a component package): `node run-plugin NODEARGS DIR ARGS...` in
//     the engine's working folder (req.Pwd). run-plugin loads the folder's package.json entry point and, when
//     it exports ComponentResource classes, serves them as a provider that prints its port first on stdout.
func runPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	dir := req.GetInfo().GetProgramDirectory()
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	if req.GetAttachDebugger() {
		return fmt.Errorf("plugin %s: this toolchain's language host cannot attach a debugger", dir)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("plugin %s needs node on PATH: %w", dir, err)
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return fmt.Errorf("plugin %s: %w", dir, err)
	}
	env := req.GetEnv()
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}
	module := "@pulumi/pulumi/cmd/run-plugin"
	if policyPack {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	} else if own := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); own != "" {
		module = own
	}
	runPath, err := resolveModule(node, dir, module)
	if err != nil {
		return err
	}
	nodeargs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return fmt.Errorf("plugin %s: runtime option nodeargs %q: %w", dir, opts.nodeargs, err)
	}
	args := append([]string{runPath}, nodeargs...)
	workDir := req.GetPwd()
	var policy *sdk.PolicyProxy
	if policyPack {
		args = append(append(args, req.GetArgs()...), dir)
		workDir = dir
		if policy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := policy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration: %w", err)
		}
		if env, err = stackEnv(env, stack); err != nil {
			return err
		}
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = workDir, env, stdout, stderr
	if err := cmd.Start(); err != nil {
		if policy != nil {
			policy.Abort(err)
		}
		return fmt.Errorf("plugin %s: could not start node: %w", dir, err)
	}
	if policy != nil {
		err = policy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("plugin %s exited with code %d", dir, exit.ExitCode())
		}
		return fmt.Errorf("plugin %s: %w", dir, err)
	}
	return closer.Close()
}

// stackEnv adds the stack the pack runs for, in the variables @pulumi/pulumi reads (PULUMI_NODEJS_*,
// PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS), to the environment the engine passed.
func stackEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil
	}
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", fmt.Sprint(stack.GetDryRun()))
	if config := stack.GetConfig(); config != nil {
		b, err := json.Marshal(config)
		if err != nil {
			return nil, fmt.Errorf("could not encode the stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(b))
	}
	if keys := stack.GetConfigSecretKeys(); len(keys) > 0 {
		b, err := json.Marshal(keys)
		if err != nil {
			return nil, fmt.Errorf("could not encode the secret configuration keys: %w", err)
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(b))
	}
	return env, nil
}

// resolveModule finds a module as node would from dir (its node_modules, then its parents').
func resolveModule(node, dir, module string) (string, error) {
	out, err := exec.Command(node, "-e",
		"process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))",
		module, dir).Output()
	if err != nil {
		return "", fmt.Errorf("plugin %s: cannot find %s from it (run npm install in %s): %w",
			dir, module, dir, err)
	}
	return string(out), nil
}
