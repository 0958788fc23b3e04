import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..');
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
if (!hasPreCommit) console.warn('pre-commit test skipped: the `pre-commit` client is not installed (apt-get install -y pre-commit)');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

// What the hook needs from the repository; tests, scripts and samples are left out to keep pre-commit's two builds short.
const LEFT_OUT = /^(test|scripts|corpus)\//;

/** A commit of this working tree (tracked and new files), so the hook is tested as it stands now. */
function snapshotRepository(): { path: string; rev: string } {
  const path = mkdtempSync(join(tmpdir(), 'corpus-lint-hook-src-'));
  const listed = git(repoRoot, 'ls-files', '--cached', '--others', '--exclude-standard')
    .split('\n')
    .filter((file) => file && !LEFT_OUT.test(file));
  for (const file of listed) {
    try {
      mkdirSync(dirname(join(path, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(path, file));
    } catch {
      // A file deleted in the working tree but still in the index.
    }
  }
  git(path, 'init', '-q');
  git(path, 'add', '-A');
  git(path, 'commit', '-q', '-m', 'snapshot');
  return { path, rev: git(path, 'rev-parse', 'HEAD').trim() };
}

describe.skipIf(!hasPreCommit)('pre-commit hook (real client)', () => {
  it('fails on a staged document with a defect and passes once it is fixed', () => {
    const source = snapshotRepository();
    const project = mkdtempSync(join(tmpdir(), 'corpus-lint-hook-project-'));
    const home = mkdtempSync(join(tmpdir(), 'corpus-lint-pre-commit-home-'));
    mkdirSync(join(project, 'corpus'));
    writeFileSync(join(project, 'corpus', 'markets.txt'), ' date 2024-03-01 Markets\nShares rose on Monday as investors weighed the central bank outlook.\n');
    writeFileSync(join(project, 'corpus', 'storm.txt'), ' date 2024-03-02 Storm\nThe storm closed two ports and cut power to thousands of homes.\n');
    writeFileSync(
      join(project, '.pre-commit-config.yaml'),
      ['repos:', `  - repo: ${source.path}`, `    rev: ${source.rev}`, '    hooks:', '      - id: corpus-lint', '        language_version: system', "        args: ['--rule', 'repeated-words:error']", ''].join('\n'),
    );
    writeFileSync(join(project, '.corpuslintrc.json'), JSON.stringify({ corpus: ['corpus/'] }));
    git(project, 'init', '-q');
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', 'articles');

    const env = { ...process.env, PRE_COMMIT_HOME: home };
    const run = () => spawnSync('pre-commit', ['run'], { cwd: project, env, encoding: 'utf8' });

    writeFileSync(join(project, 'corpus', 'council.txt'), ' date 2024-03-03 Council\nThe council said said it would review the budget in April.\n');
    git(project, 'add', 'corpus/council.txt');
    const failing = run();
    expect(failing.status, failing.stdout + failing.stderr).toBe(1);
    expect(failing.stdout).toContain('corpus/council.txt');
    expect(failing.stdout).toContain('Unexpected repeated `said`, expected it once');
    expect(failing.stdout).not.toContain('corpus/markets.txt');

    writeFileSync(join(project, 'corpus', 'council.txt'), ' date 2024-03-03 Council\nThe council said it would review the budget in April.\n');
    git(project, 'add', 'corpus/council.txt');
    const passing = run();
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/corpus-lint\.+Passed/);
  }, 180_000);
});
