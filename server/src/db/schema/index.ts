export * from './accounting-connections';
export * from './hubspot-tokens';
export * from './jobs';
export * from './oauth-states';
export * from './portals';
export * from './webhook-events';
