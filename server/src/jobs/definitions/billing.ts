import { z } from 'zod';
import type { StripeBilling } from '../../billing/stripe-billing';
import type { Subscriptions } from '../../billing/subscriptions';
import { packageIds } from '../../db/schema';
import { defineJob, JobError } from '../define';

/**
 * After a Stripe event about a subscription: fetch the subscription as Stripe has it now and take
 * over its state. Stripe does not promise event order (https://docs.stripe.com/webhooks#event-ordering),
 * so the event body is only the trigger; a late or repeated event fetches the same current state.
 */
export function syncSubscriptionJob(deps: { billing: StripeBilling; subscriptions: Subscriptions }) {
  return defineJob({
    name: 'billing.sync-subscription',
    payload: z.object({ portalId: z.string().regex(/^\d+$/), subscriptionId: z.string().startsWith('sub_') }),
    key: (p) => `billing:${p.subscriptionId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 10,
    async run(p, ctx) {
      const fetched = await deps.billing.fetchSubscription(p.subscriptionId);
      const packageId = z.enum(packageIds).safeParse(fetched.packageId);
      // The metadata is ours (set at Checkout); the customer must be this portal's, or the event is not for it.
      if (fetched.portalId !== p.portalId || (await deps.billing.portalOfCustomer(fetched.customerId)) !== p.portalId || !packageId.success) {
        throw new JobError('billing_subscription_foreign', 'The Stripe subscription does not belong to this portal and package.', { retryable: false });
      }
      const view = await deps.subscriptions.applyPaidSubscription(p.portalId, packageId.data, fetched.paid);
      ctx.log.info(
        { subscriptionId: p.subscriptionId, packageId: packageId.data, status: fetched.paid.status, state: view.state.state },
        'package billing state updated',
      );
    },
  });
}
