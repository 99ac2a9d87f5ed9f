/**
 * The siting command line: run in-process through its exported `main` (fast), and spawned twice
 * as a planner runs it, so the script wiring (exit code, stdout, stderr) is tested too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import loadHighs from 'highs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/siting.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SF = fileURLToPath(new URL('../../../shared/peer-fixtures/spopt-sf/', import.meta.url));
const OD = join(SF, 'SF_network_distance_candidateStore_16_censusTract_205_new.csv');
const DEMAND = join(SF, 'SF_demand_205_centroid_uniform_weight.csv');
const present = existsSync(OD) && existsSync(DEMAND);
if (!present) console.warn(`spopt peer fixtures not found in ${SF}: skipping the CLI runs on spopt's files`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function spawn(args: string[]): Run {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['server/cli/siting.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SF_COLS = ['--matrix', OD, '--demand-col', 'DestinationName', '--candidate-col', 'name', '--cost-col', 'distance'];

describe.skipIf(!present)('siting CLI on spopt San Francisco', () => {
  it('MCLP p = 4 at 5000 m with weights from the OD table: one JSON object, optimal', async () => {
    const r = await run(['--model', 'mclp', '--p', '4', '--threshold', '5000', ...SF_COLS, '--weight-col', 'demand']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['chosen', 'objective', 'covered', 'status', 'gap', 'seconds']));
    expect(out.chosen).toEqual(['Store_2', 'Store_11', 'Store_12', 'Store_15']);
    expect(out.status).toBe('optimal');
    expect(out.gap).toBe(0);
    expect(out.objective).toBe(out.covered);
    expect(typeof out.seconds).toBe('number');
  });

  it('p-median with weights from the tract table, and the LP it writes solves to the same optimum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siting-cli-'));
    const lpFile = join(dir, 'pmedian.lp');
    const r = await run(['--model', 'pmedian', '--p', '4', ...SF_COLS, '--demand-file', DEMAND, '--demand-id-col', 'NAME', '--weight-col', 'POP2000', '--lp', lpFile]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('optimal');
    expect(out.objective / out.totalWeight).toBeCloseTo(2982.1268579890657, 6);
    const highs = await loadHighs();
    const solved = highs.solve(readFileSync(lpFile, 'utf8'), { mip_rel_gap: 0, output_flag: false });
    expect(solved.Status).toBe('Optimal');
    expect(solved.ObjectiveValue).toBeCloseTo(out.objective, 3);
    rmSync(dir, { recursive: true, force: true });
  });

  it('LSCP at 5000 m needs 8 sites; p-center answers its worst distance', async () => {
    const l = JSON.parse((await run(['--model', 'lscp', '--threshold', '5000', ...SF_COLS])).stdout);
    expect([l.objective, l.chosen.length, l.status]).toEqual([8, 8, 'optimal']);
    const c = await run(['--model', 'pcenter', '--p', '4', ...SF_COLS, '--weight-col', 'demand', '--method', 'exact']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).status).toBe('optimal');
  });

  it('names the columns that exist when one is missing', async () => {
    const r = await run(['--model', 'mclp', '--p', '4', '--threshold', '5000', '--matrix', OD, '--demand-col', 'tract', '--candidate-col', 'name', '--cost-col', 'distance']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/has no column 'tract' \(demand id\); its columns are: distance, name, DestinationName, demand/);
  });
});

describe('siting CLI spawned as a planner runs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siting-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.csv');
  writeFileSync(good, 'cell,site,minutes,pop\nc1,A,3,10\nc1,B,9,10\nc2,A,8,20\nc2,B,2,20\n');
  const cols = ['--demand-col', 'cell', '--candidate-col', 'site', '--cost-col', 'minutes'];

  it('prints one JSON line and exits 0', () => {
    const r = spawn(['--model', 'mclp', '--p', '1', '--threshold', '5', '--matrix', good, ...cols, '--weight-col', 'pop']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toMatchObject({ chosen: ['B'], objective: 20, status: 'optimal' });
  });

  it('exits 2 with the message and the usage on stderr for a bad argument', () => {
    const r = spawn(['--model', 'maxcover', '--p', '1', '--matrix', good, ...cols]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown --model 'maxcover'[\s\S]*usage: npm run siting/);
  });
});

describe('siting CLI on bad arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siting-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.csv');
  writeFileSync(good, 'cell,site,minutes,pop\nc1,A,3,10\nc1,B,9,10\nc2,A,8,20\nc2,B,2,20\n');
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'cell,site,minutes\nc1,A,3\nc1,B,soon\n');
  const cols = ['--demand-col', 'cell', '--candidate-col', 'site', '--cost-col', 'minutes'];

  it('solves a small table', async () => {
    const r = await run(['--model', 'mclp', '--p', '1', '--threshold', '5', '--matrix', good, ...cols, '--weight-col', 'pop']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ chosen: ['B'], objective: 20, covered: 20, status: 'optimal', gap: 0 });
  });

  it.each([
    ['unknown model', ['--model', 'maxcover', '--p', '1', '--matrix', good, ...cols], /unknown --model 'maxcover'; use one of mclp, lscp, pmedian, pcenter/],
    ['missing p', ['--model', 'pmedian', '--matrix', good, ...cols], /missing --p: model pmedian needs the number of new sites to open/],
    ['p not a number', ['--model', 'pmedian', '--p', 'two', '--matrix', good, ...cols], /--p must be a whole number, got 'two'/],
    ['p too large', ['--model', 'pmedian', '--p', '3', '--matrix', good, ...cols], /p = 3 but there are only 2 candidate sites/],
    ['threshold missing', ['--model', 'mclp', '--p', '1', '--matrix', good, ...cols], /model mclp needs a threshold/],
    ['non-numeric cost', ['--model', 'pmedian', '--p', '1', '--matrix', bad, ...cols], /bad.csv line 3: cost 'soon' in column 'minutes' is not a number/],
    ['missing file', ['--model', 'pmedian', '--p', '1', '--matrix', join(dir, 'nowhere.csv'), ...cols], /cannot read --matrix .*nowhere.csv: ENOENT/],
    ['missing --cost-col', ['--model', 'pmedian', '--p', '1', '--matrix', good, '--demand-col', 'cell', '--candidate-col', 'site'], /missing --cost-col \(cost column of good.csv; its columns are: cell, site, minutes, pop\)/],
    ['unknown weight column', ['--model', 'pmedian', '--p', '1', '--matrix', good, ...cols, '--weight-col', 'people'], /good.csv has no column 'people' \(weight\); its columns are: cell, site, minutes, pop/],
    ['unknown option', ['--model', 'pmedian', '--p', '1', '--matrix', good, ...cols, '--speed', 'fast'], /Unknown option '--speed'/],
  ])('%s → non-zero exit and a clear message', async (_label, args, message) => {
    const r = await run(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

describe('siting CLI notes in a language', () => {
  // d1 (84,981 persons) is within 1 of A; d2 (15,019) of nothing: at most 84.9 % can be covered.
  const dir = mkdtempSync(join(tmpdir(), 'siting-cli-lang-'));
  const od = join(dir, 'od.csv');
  writeFileSync(od, 'demand,site,cost,weight\nd1,A,0.5,84981\nd2,A,inf,15019\n');
  const args = ['--model', 'lscp', '--threshold', '1', '--target', '0.9', '--matrix', od, '--demand-col', 'demand', '--candidate-col', 'site', '--cost-col', 'cost', '--weight-col', 'weight'];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says the infeasible target in Chinese by default and in English with --lang en, the share rounded down', async () => {
    const zh = JSON.parse((await run(args)).stdout);
    expect(zh.status).toBe('infeasible');
    expect(zh.noteCodes.at(-1)).toMatchObject({ code: 'siting_lscp_target', params: { share: 0.849, percent: 84.9 } });
    expect(zh.notes.at(-1)).toContain('覆盖目标至多可设 84.9%');
    const en = JSON.parse((await run([...args, '--lang', 'en'])).stdout);
    expect(en.notes.at(-1)).toContain('set a target of at most 84.9%');
    const bad = await run([...args, '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --lang 'fr'; use zh or en/);
  });
});
