import ts from 'typescript';
import type { Plugin } from 'vite';

const DECORATOR = /^\s*@[A-Za-z_$][\w$]*(\(|\s*$)/m;

/**
 * Lowers TC39 standard decorators with TypeScript for the files that use them,
 * because Vite's own transform leaves them in place and Node cannot parse them yet.
 */
export function standardDecorators(): Plugin {
  return {
    name: 'otelkit:standard-decorators',
    enforce: 'pre',
    transform(code, id) {
      if (!/\.[cm]?tsx?$/.test(id) || id.includes('/node_modules/') || !DECORATOR.test(code)) {
        return null;
      }
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          sourceMap: true,
          inlineSources: true,
          verbatimModuleSyntax: false,
        },
      });
      return { code: out.outputText, map: out.sourceMapText ?? null };
    },
  };
}
