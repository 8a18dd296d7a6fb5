// The packaging tests' common first step: `npm pack` of pkg/ and an OFFLINE install of
// the tarball into a fresh project in a temporary folder outside the repository, with
// npm's cache and config of its own there, so nothing of the machine's npm setup is
// touched and nothing is downloaded. Not a test file itself.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { retry, run } from './helpers.mjs';

export const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = join(REPOSITORY, 'pkg');

/**
 * Packs pkg/ and installs the tarball into `<temp>/project`, whose package.json is
 * `manifest`. Resolves to `{ work, project, packed, npm(args, cwd), cleanup() }`;
 * `packed` is npm's JSON description of the tarball plus its path as `tarball`.
 */
export async function packAndInstall({ prefix, manifest }) {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    const home = join(work, 'home');
    await mkdir(home);
    const npmEnv = {
      ...process.env,
      HOME: home,
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_userconfig: join(home, '.npmrc'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      npm_config_offline: 'true',
      npm_config_loglevel: 'error',
    };
    const npm = (args, cwd) => run('npm', args, { cwd, env: npmEnv, timeoutMs: 45_000 });

    // Another engineer may be rebuilding pkg/ (it is replaced in one step), so a failed
    // pack is retried a few times before it counts.
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);
    const packed = await retry(async () => {
      const result = await npm(
        ['pack', PKG, '--pack-destination', tarballs, '--json', '--ignore-scripts'],
        work,
      );
      assert.equal(result.code, 0, `npm pack failed:\n${result.stderr}`);
      const [entry] = JSON.parse(result.stdout);
      return { ...entry, tarball: join(tarballs, entry.filename) };
    }, { attempts: 5, delayMs: 3_000 });

    const project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const install = await npm(
      ['install', packed.tarball, '--offline', '--no-audit', '--no-fund'],
      project,
    );
    assert.equal(install.code, 0, `npm install failed:\n${install.stdout}\n${install.stderr}`);
    return { work, project, packed, npm, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
