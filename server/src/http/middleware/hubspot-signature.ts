import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors';
import { verifyRequestV3 } from '../../hubspot/signature';
import { rawBodyOf } from './raw-body';

export interface SignatureOptions {
  clientSecret: () => string;
  /** Public origin HubSpot called (https://… in production; the local URL in sandbox mode). */
  publicUrl: () => string;
  now?: () => number;
}

/** The portal and user of a verified HubSpot request; nothing else may decide them. */
export interface VerifiedHubspotRequest {
  portalId?: string;
  userId?: string;
  userEmail?: string;
}

/**
 * Checks HubSpot's v3 signature (hubspot.md §3) over method, the exact public URL, the raw body and
 * the timestamp. Webhooks and `hubspot.fetch` calls from cards and the settings page go through it.
 * A missing, forged or stale (> 5 min) signature is 401 and the handler never runs.
 */
export function requireHubspotSignature(options: SignatureOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    const result = verifyRequestV3({
      clientSecret: options.clientSecret(),
      method: req.method,
      url: options.publicUrl() + req.originalUrl,
      rawBody: rawBodyOf(req),
      timestamp: req.get('x-hubspot-request-timestamp') ?? '',
      signature: req.get('x-hubspot-signature-v3') ?? '',
      nowMs: (options.now ?? Date.now)(),
    });
    if (!result.ok) return next(new AppError('unauthenticated', `HubSpot signature check failed (${result.reason}).`));
    // The query string is part of the signed URL, so the portal HubSpot appended is trustworthy now.
    const verified: VerifiedHubspotRequest = {
      portalId: typeof req.query.portalId === 'string' ? req.query.portalId : undefined,
      userId: typeof req.query.userId === 'string' ? req.query.userId : undefined,
      userEmail: typeof req.query.userEmail === 'string' ? req.query.userEmail : undefined,
    };
    res.locals.hubspot = verified;
    next();
  };
}

/** The verified portal of a card/settings call; 401 when HubSpot did not name one. */
export function verifiedPortalId(res: Response): string {
  const portalId = (res.locals.hubspot as VerifiedHubspotRequest | undefined)?.portalId;
  if (!portalId || !/^\d+$/.test(portalId)) throw new AppError('unauthenticated', 'The signed request names no portal.');
  return portalId;
}
