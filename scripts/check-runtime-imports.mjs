#!/usr/bin/env node
// CI check: the app in src/ must run unchanged on Workers and Deno, so outside the runtime entries
// (src/runtime/) and the CLI (src/cli/) no file may import `cloudflare:*` or `node:*` modules or
// use the `Deno` global. Files are parsed with the TypeScript compiler, so comments and strings
// that merely mention these names do not count.
//
//   node scripts/check-runtime-imports.mjs [--root DIR]    (DIR defaults to the repository root)
// Exit 0 when clean; 1 with one line per violation (file:line:column  what).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ts from "typescript";

const FORBIDDEN_MODULE = /^(cloudflare|node):/;
const ALLOWED_FOLDERS = ["src/runtime/", "src/cli/"];
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const GLOBAL_OBJECTS = new Set(["globalThis", "self", "window", "global"]);

/** Violations in one file's text: { line, column, message } with 1-based positions. */
export function findViolations(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found = [];
  const report = (node, message) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ line: line + 1, column: character + 1, message });
  };
  const checkSpecifier = (node, specifier) => {
    if (specifier && ts.isStringLiteralLike(specifier) && FORBIDDEN_MODULE.test(specifier.text)) {
      report(node, `imports '${specifier.text}'`);
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkSpecifier(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if (isDynamicImport || isRequire) checkSpecifier(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) checkSpecifier(node, argument.literal);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      checkSpecifier(node, node.name);
    } else if (ts.isIdentifier(node) && node.text === "Deno" && isGlobalReference(node)) {
      report(node, "uses the Deno global");
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === "Deno" && isGlobalObject(node.expression)) {
      report(node, "uses the Deno global");
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === "Deno" &&
      isGlobalObject(node.expression)
    ) {
      report(node, "uses the Deno global");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** An identifier `Deno` that names the global, not a property, a key or a declaration of its own. */
function isGlobalReference(node) {
  const parent = node.parent;
  if (!parent) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  if (ts.isEnumMember(parent) && parent.name === node) return false;
  return true;
}

function isGlobalObject(expression) {
  // See through `(globalThis as any)`, `globalThis!` and the like.
  while (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isNonNullExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isTypeAssertionExpression(expression)
  ) {
    expression = expression.expression;
  }
  return ts.isIdentifier(expression) && GLOBAL_OBJECTS.has(expression.text);
}

function scriptKind(fileName) {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (fileName.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function* sourceFiles(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") yield* sourceFiles(path);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      yield path;
    }
  }
}

/** Every violation under root/src, outside the allowed folders. */
export function checkTree(root) {
  const violations = [];
  for (const path of sourceFiles(join(root, "src"))) {
    const file = relative(root, path).split(sep).join("/");
    if (ALLOWED_FOLDERS.some((folder) => file.startsWith(folder))) continue;
    for (const violation of findViolations(file, readFileSync(path, "utf8"))) violations.push({ file, ...violation });
  }
  return violations;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { root: { type: "string" } } });
  const root = values.root ?? fileURLToPath(new URL("..", import.meta.url));
  const violations = checkTree(root);
  for (const v of violations) console.log(`${v.file}:${v.line}:${v.column}  ${v.message}`);
  if (violations.length > 0) {
    console.error(
      `\n${violations.length} runtime import(s) in src/ outside ${ALLOWED_FOLDERS.join(" and ")}: ` +
        "move them behind a port (src/ports.ts) built by the runtime entries.",
    );
    process.exit(1);
  }
  console.error("src/ is runtime-independent: no cloudflare:*, node:* or Deno outside src/runtime/ and src/cli/.");
}
