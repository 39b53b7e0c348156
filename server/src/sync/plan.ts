/**
 * Pairs unlinked HubSpot records with unlinked accounting customers (issue 6 "Matching"): grouped by
 * the normalised name key (matching.ts), e-mail pairs records inside a group, a group left with
 * exactly one record per side is a link, a group with several on either side is a conflict (never a
 * guess), and records alone on their side are created on the other. Pure: the initial sync's dry run
 * and its run use the same plan, and a single live change is planned with the same rules.
 */
import { customerKey } from './matching';
import { customerFromContent, type Content, type ObjectType } from './content';

export interface PlanRecord {
  id: string;
  content: Content;
}

export type PlanOutcome =
  | { action: 'link'; hubspotId: string; vendorId: string }
  | { action: 'create_vendor'; hubspotId: string }
  | { action: 'create_hubspot'; vendorId: string }
  | { action: 'conflict'; hubspotIds: string[]; vendorIds: string[] };

export interface SyncReport {
  hubspot: { create: number; link: number; conflict: number };
  accounting: { create: number; link: number; conflict: number };
}

export function recordKey(objectType: ObjectType, content: Content): string {
  return customerKey(customerFromContent(objectType, content));
}

export function planPairs(objectType: ObjectType, hubspot: PlanRecord[], vendor: PlanRecord[]): PlanOutcome[] {
  const groups = new Map<string, { h: PlanRecord[]; v: PlanRecord[] }>();
  const group = (key: string) => groups.get(key) ?? groups.set(key, { h: [], v: [] }).get(key)!;
  for (const r of hubspot) {
    const key = recordKey(objectType, r.content);
    if (key) group(key).h.push(r);
  }
  for (const r of vendor) {
    const key = recordKey(objectType, r.content);
    if (key) group(key).v.push(r);
  }
  const outcomes: PlanOutcome[] = [];
  for (const { h, v } of groups.values()) outcomes.push(...planGroup(h, v));
  return outcomes;
}

function planGroup(h: PlanRecord[], v: PlanRecord[]): PlanOutcome[] {
  const outcomes: PlanOutcome[] = [];
  let restH = h;
  let restV = v;
  if (h.length > 1 || v.length > 1) {
    for (const email of new Set(h.map((r) => emailOf(r)).filter(Boolean))) {
      const hs = restH.filter((r) => emailOf(r) === email);
      const vs = restV.filter((r) => emailOf(r) === email);
      if (hs.length !== 1 || vs.length !== 1) continue;
      outcomes.push({ action: 'link', hubspotId: hs[0].id, vendorId: vs[0].id });
      restH = restH.filter((r) => r !== hs[0]);
      restV = restV.filter((r) => r !== vs[0]);
    }
  }
  if (restH.length === 1 && restV.length === 1) outcomes.push({ action: 'link', hubspotId: restH[0].id, vendorId: restV[0].id });
  else if (restH.length > 0 && restV.length > 0) outcomes.push({ action: 'conflict', hubspotIds: restH.map((r) => r.id), vendorIds: restV.map((r) => r.id) });
  else {
    for (const r of restH) outcomes.push({ action: 'create_vendor', hubspotId: r.id });
    for (const r of restV) outcomes.push({ action: 'create_hubspot', vendorId: r.id });
  }
  return outcomes;
}

function emailOf(r: PlanRecord): string | undefined {
  return r.content.email?.toLowerCase();
}

export function emptyReport(): SyncReport {
  return { hubspot: { create: 0, link: 0, conflict: 0 }, accounting: { create: 0, link: 0, conflict: 0 } };
}

/** Counts per side: `hubspot.create` = records created in HubSpot, `accounting.link` = vendor customers linked, … */
export function addToReport(report: SyncReport, outcomes: PlanOutcome[]): SyncReport {
  for (const o of outcomes) {
    if (o.action === 'link') {
      report.hubspot.link++;
      report.accounting.link++;
    } else if (o.action === 'create_vendor') report.accounting.create++;
    else if (o.action === 'create_hubspot') report.hubspot.create++;
    else {
      report.hubspot.conflict += o.hubspotIds.length;
      report.accounting.conflict += o.vendorIds.length;
    }
  }
  return report;
}
