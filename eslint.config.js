// ESLint's flat config: the recommended JavaScript and typescript-eslint rules over the sources, the
// tests, the scripts and the benchmarks. Layout is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.ts-audit-test/', '.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  // The scripts, benchmarks and bin/ are plain JavaScript run by Node (TypeScript knows Node's globals itself).
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    rules: {
      // A leading underscore marks a value left out on purpose (`const { dump: _dump, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
