// ESLint flat config: typescript-eslint's type-aware rules plus Pulumi's rules that catch an Output
// placed in a template literal (it would render as a warning string, not the value).
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

// The layering (CONTRIBUTING.md, "Where things live"): products import only themselves and the shared RBAC
// evaluator (rbac/, which imports only itself); tools (cli/, offline/, settings/, testenv/) and the program
// (index.ts) may import products and each other, never tests; tests and benchmarks (bench/) import
// anything. Imports are relative, so a file `depth` folders down leaves the project's top with `depth`
// times "../": what follows must be an allowed folder.
const SHARED = "rbac";
const PRODUCTS = ["components", "policy"];
const TOOLS = ["cli", "offline", "settings", "testenv"];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
function importsOnly(folder, allowed, why) {
    return [1, 2, 3].map((depth) => ({
        files: [`${folder}/${"*/".repeat(depth - 1)}*.ts`],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: `^(\\.\\./){${depth}}(?!(${allowed.map(escape).join("|")})(/|$))`,
                            message: why,
                        },
                    ],
                },
            ],
        },
    }));
}
const layering = [
    ...PRODUCTS.flatMap((product) =>
        importsOnly(
            product,
            [product, SHARED],
            `${product}/ is a product: it imports only itself and the shared RBAC evaluator (CONTRIBUTING.md, "Where things live").`,
        ),
    ),
    ...importsOnly(SHARED, [SHARED], `${SHARED}/ is the shared RBAC evaluator: it imports only itself.`),
    ...TOOLS.flatMap((tool) =>
        importsOnly(
            tool,
            [...PRODUCTS, SHARED, ...TOOLS],
            `${tool}/ is a tool: it imports products and tools, never tests (CONTRIBUTING.md, "Where things live").`,
        ),
    ),
    {
        files: ["index.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "^\\./tests/",
                            message:
                                'The program imports products and tools, never tests (CONTRIBUTING.md, "Where things live").',
                        },
                    ],
                },
            ],
        },
    },
];

module.exports = tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "bin/**",
            "**/node_modules/**",
            "**/bin/**",
            "eslint.config.js",
            ".mocharc*.js",
            // Plain JavaScript run directly by node (mocha's reporter, the benchmark runners, the stand-in go).
            "scripts/**/*.js",
            "tests/toolchain/fakeGo.js",
            "bench/*.js",
            "bench/engine-scale/*.js",
            "bench/.build/**",
            "plan-out/**",
        ],
    },
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: __dirname,
            },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    ...layering,
    {
        // The Pulumi SDK's internals (not its public API) are reached from components/sdkInternals.ts only,
        // so an SDK upgrade that moves one breaks in one place.
        files: ["**/*.ts"],
        ignores: ["components/sdkInternals.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                ...[
                    "ImportDeclaration > Literal.source",
                    "CallExpression[callee.name='require'] > Literal",
                ].map((selector) => ({
                    selector: `${selector}[value=/^@pulumi\\/pulumi\\/runtime\\//]`,
                    message: "The Pulumi SDK's internals are reached from components/sdkInternals.ts only.",
                })),
                {
                    selector: "MemberExpression[property.name='getMonitor']",
                    message: "The Pulumi SDK's monitor is reached from components/sdkInternals.ts only.",
                },
            ],
        },
    },
    {
        // Tests poke at loosely typed protocol objects and mock inputs.
        files: ["tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
);
