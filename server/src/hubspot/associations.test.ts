import { describe, expect, it } from 'vitest';
import { associationGroup } from './associations';

const item = (id: string) => ({ id, type: 'deal_to_line_item' });

describe('associationGroup', () => {
  it('reads the line items under HubSpot\'s own key, "line items" with a space', () => {
    expect(associationGroup({ 'line items': { results: [item('11'), item('12')] } }, 'line_items')?.results.map((r) => r.id)).toEqual(['11', '12']);
  });

  it('tolerates the type name as key, and prefers the real key when both are there', () => {
    expect(associationGroup({ line_items: { results: [item('21')] } }, 'line_items')?.results[0].id).toBe('21');
    expect(associationGroup({ line_items: { results: [item('21')] }, 'line items': { results: [item('31')] } }, 'line_items')?.results[0].id).toBe('31');
  });

  it('finds nothing where HubSpot sent no group, or no associations at all', () => {
    expect(associationGroup({ contacts: { results: [] } }, 'quotes')).toBeUndefined();
    expect(associationGroup(undefined, 'companies')).toBeUndefined();
    expect(associationGroup({ companies: { paging: {} } }, 'companies')).toBeUndefined();
  });
});
