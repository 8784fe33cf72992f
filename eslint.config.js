// ESLint flat config: typescript-eslint's type-aware rules plus Pulumi's rules that catch an Output
// placed in a template literal (it would render as a warning string, not the value).
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

module.exports = tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "bin/**",
            "**/node_modules/**",
            "**/bin/**",
            "eslint.config.js",
            ".mocharc*.js",
            // Plain JavaScript run directly by node (mocha's reporter, the benchmark runners).
            "scripts/**/*.js",
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
