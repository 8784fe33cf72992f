// Command pulumi-language-nodejs is the toolchain's Node.js language host. The Go module proxy serves no
// current nodejs language host, only the one inside sdk/v3 up to v3.68.0 (see toolchain/versions.env). That
// host runs programs under the current CLI and SDK but answers RunPlugin with "not supported", so the CLI
// cannot start a policy pack (`pulumi preview --policy-pack DIR`). This command starts that host (the binary
// named by innerHost, beside this one), relays every gRPC call to it unchanged, and serves RunPlugin for
// policy packs (kind "analyzer") itself, as current hosts do: it runs @pulumi/pulumi/cmd/run-policy-pack
// from the pack's own node_modules with node from PATH, through the SDK's PolicyProxy, which hands the pack
// the stack's configuration (upstream: sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

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

// rawCodec passes messages through as bytes, so the relay needs no knowledge of the inner host's API.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *v.(*[]byte), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

type relay struct{ conn *grpc.ClientConn }

// handle serves every call: RunPlugin of a policy pack here, everything else by the inner host.
func (r *relay) handle(_ any, server grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(server)
	var first *[]byte
	if method == runPluginMethod {
		msg := []byte{}
		if err := server.RecvMsg(&msg); err != nil {
			return err
		}
		req := &pulumirpc.RunPluginRequest{}
		if err := proto.Unmarshal(msg, req); err != nil {
			return err
		}
		if req.GetKind() == string(apitype.AnalyzerPlugin) {
			return runPolicyPack(req, &runPluginStream{server})
		}
		first = &msg
	}
	return r.forward(method, server, first)
}

// forward relays one call of any shape (unary or streaming) to the inner host, status and trailers included.
func (r *relay) forward(method string, server grpc.ServerStream, first *[]byte) error {
	ctx, cancel := context.WithCancel(server.Context())
	defer cancel()
	md, _ := metadata.FromIncomingContext(ctx)
	client, err := r.conn.NewStream(metadata.NewOutgoingContext(ctx, md.Copy()),
		&grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method)
	if err != nil {
		return err
	}
	go func() {
		if first != nil && client.SendMsg(first) != nil {
			return
		}
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

// runPolicyPack runs a Node.js policy pack for the engine: `node run-policy-pack ENGINE... PACK_DIR` in the
// pack's folder, with the stack's configuration in the environment variables the Node.js SDK reads.
func runPolicyPack(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	dir := req.GetInfo().GetProgramDirectory()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("policy pack %s needs node on PATH: %w", dir, err)
	}
	runPath, err := resolveModule(node, dir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return err
	}
	policy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	stack, err := policy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration: %w", err)
	}
	env, err := stackEnv(req.GetEnv(), stack)
	if err != nil {
		return err
	}
	args := append(append([]string{runPath}, req.GetArgs()...), dir)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, stdout, stderr
	if err := cmd.Start(); err != nil {
		policy.Abort(err)
		return err
	}
	if err := policy.Attach(ctx, cmd); err != nil {
		return fmt.Errorf("policy pack %s: %w", dir, err)
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
		return "", fmt.Errorf("policy pack %s: cannot find %s from it (is @pulumi/pulumi installed?): %w",
			dir, module, err)
	}
	return string(out), nil
}
