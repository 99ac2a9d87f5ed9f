/**
 * The planner's what-if requests and how a what-if is compared with the optimum
 * (client/src/analyses/planner-siting/goals.ts): the evaluate body keeps the optimisation's model and sends exactly
 * the planner's sites; the distance from the optimum has the model's own sense (MCLP maximises).
 */
import { describe, expect, it } from 'vitest';
import { evaluateBody, fromOptimum, sitingBody, defaultSitingDraft } from '../../client/src/analyses/planner-siting/goals';

describe('evaluateBody', () => {
  it("keeps the optimisation's model, layer, county, urban/rural minutes and mode, and sends the sites as given", () => {
    const optimum = sitingBody({ ...defaultSitingDraft('fire-mclp'), p: 3 }, '500117');
    const sites = [
      { id: 'grid-16-8', lon: 106.248646, lat: 29.949411, rank: 1 },
      { id: 'manual-1', lon: 106.3, lat: 30.01 },
    ];
    expect(evaluateBody(optimum, sites)).toEqual({
      model: 'mclp',
      facilityLayer: 'fire_stations',
      county: '500117',
      urbanDriveMinutes: 4,
      ruralDriveMinutes: 14,
      mode: 'drive',
      sites: [
        { id: 'grid-16-8', lon: 106.248646, lat: 29.949411 },
        { id: 'manual-1', lon: 106.3, lat: 30.01 },
      ],
    });
  });

  it('keeps one threshold for every town when the planner asks for it', () => {
    const optimum = sitingBody({ ...defaultSitingDraft('fire-mclp'), oneThreshold: true, threshold: 6 }, '500117');
    expect(optimum).toMatchObject({ threshold: 6 });
    expect('ruralDriveMinutes' in optimum).toBe(false);
    expect(evaluateBody(optimum, [])).toMatchObject({ threshold: 6 });
    expect('urbanDriveMinutes' in evaluateBody(optimum, [])).toBe(false);
    // Towns marked urban are the county's own: another county's marks are not sent.
    const marked = { ...defaultSitingDraft('fire-mclp'), urbanTowns: { '500117': ['500117104'], '500105': ['500105001'] } };
    expect(sitingBody(marked, '500117')).toMatchObject({ urbanTowns: ['500117104'] });
    expect('urbanTowns' in sitingBody(marked, '500151')).toBe(false);
    expect('urbanTowns' in sitingBody({ ...marked, oneThreshold: true }, '500117')).toBe(false);
    // Shelters and depots have no urban/rural rule.
    expect(sitingBody(defaultSitingDraft('shelter-mclp'), '510802')).toMatchObject({ threshold: 24 });
  });

  it('sends an empty site list when every new site was removed', () => {
    const optimum = sitingBody(defaultSitingDraft('shelter-lscp'), '510802');
    expect(evaluateBody(optimum, []).sites).toEqual([]);
    expect(evaluateBody(optimum, []).model).toBe('lscp');
  });

  it("carries LSCP's coverage target, without which its objective is undefined", () => {
    const optimum = sitingBody({ ...defaultSitingDraft('shelter-lscp'), coverageTarget: 0.9 }, '510802');
    expect(evaluateBody(optimum, []).coverageTarget).toBe(0.9);
    expect('coverageTarget' in evaluateBody(sitingBody(defaultSitingDraft('fire-mclp'), '500117'), [])).toBe(false);
  });
});

describe('sitingBody', () => {
  it('asks for the generated grid by default and names the other candidate sets as the API takes them', () => {
    const draft = defaultSitingDraft('fire-mclp');
    expect('candidates' in sitingBody(draft, '500117')).toBe(false);
    expect(sitingBody({ ...draft, candidates: 'planned' }, '500117').candidates).toBe('planned');
    expect(sitingBody({ ...draft, candidates: 'shelters' }, '500117').candidates).toEqual({ layer: 'shelters', where: { class: ['central', 'fixed_long', 'fixed_medium'] } });
  });
});

describe('fromOptimum', () => {
  it('MCLP: fewer persons covered is worse, by the share of the optimum', () => {
    expect(fromOptimum('mclp', 106_246, 130_174)).toEqual({ difference: 23_928, share: 23_928 / 130_174, worse: true });
  });

  it('MCLP: more persons (a site added by hand) is better, not worse', () => {
    expect(fromOptimum('mclp', 140_000, 130_000)).toEqual({ difference: -10_000, share: 10_000 / 130_000, worse: false });
  });

  it('p-median and p-center minimise: a larger objective is worse', () => {
    expect(fromOptimum('pmedian', 1_200, 1_000)).toEqual({ difference: 200, share: 0.2, worse: true });
    expect(fromOptimum('pcenter', 900, 1_000)?.worse).toBe(false);
  });

  it('has no share against an optimum of 0, and nothing without both objectives', () => {
    expect(fromOptimum('pcenter', 60, 0)).toEqual({ difference: 60, share: null, worse: true });
    expect(fromOptimum('mclp', null, 10)).toBeUndefined();
    expect(fromOptimum('mclp', 10, null)).toBeUndefined();
  });
});
