import type { Order } from './invariants';

export type Product = Order['product'];
const ROUTES: Record<Product, string> = {
  collection: '/v1/collections',
  disbursement: '/v1/disbursements',
  remittance: '/v1/remittances',
};

export interface OrderLoad {
  url: string;
  apiKey: string;
  orders: number;
  concurrency: number;
  random: () => number;
  /** externalIds are `${prefix}_${n}`. */
  prefix: string;
  products?: Product[];
  /** How long one order keeps trying (gateway down, MTN trouble) before it gives up. */
  orderDeadlineMs?: number;
  /** Called after each order settles (the crash test uses it to pick its moments). */
  onSettled?: (settled: number) => void;
  /** Every HTTP answer, for suites that check what callers were told. */
  onAnswer?: (answer: Answer) => void;
}

export interface Answer {
  route: string;
  status: number;
  code?: string;
  retryAfter: string | null;
}

/**
 * A merchant's back end under load: each order is a payment with its own externalId. It retries
 * what a careful client retries: a network failure (the outcome is unknown) with the same
 * Idempotency-Key; an answered refusal (the attempt was stored FAILED, or not stored) with a new
 * key and the same externalId. A 409 DUPLICATE_EXTERNAL_ID means an earlier attempt whose answer was lost is
 * live: the order looks it up instead of paying again.
 */
export async function placeOrders(o: OrderLoad): Promise<Order[]> {
  const products = o.products ?? ['collection', 'disbursement', 'remittance'];
  const plans = Array.from({ length: o.orders }, (_, i) => ({
    i,
    product: products[Math.floor(o.random() * products.length)]!,
    amount: String(1000 + Math.floor(o.random() * 49) * 1000),
    phone: `25677${String(2_000_000 + Math.floor(o.random() * 7_000_000))}`,
  }));
  const orders: Order[] = [];
  let next = 0;
  let settled = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${o.apiKey}` };
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const plan = plans[next++]!;
      const order: Order = {
        product: plan.product,
        externalId: `${o.prefix}_${plan.i}`,
        amount: plan.amount,
        accepted: [],
        statuses: [],
      };
      orders.push(order);
      const deadline = Date.now() + (o.orderDeadlineMs ?? 60_000);
      let key = 1;
      for (let attempt = 1; attempt <= 1000 && Date.now() < deadline; attempt++) {
        let status: number;
        let body: {
          id?: string;
          code?: string;
          retryable?: boolean;
          items?: Array<{ id: string; status: string }>;
        };
        try {
          const res = await fetch(`${o.url}${ROUTES[plan.product]}`, {
            method: 'POST',
            headers: { ...headers, 'idempotency-key': `${order.externalId}-k${key}` },
            body: JSON.stringify({
              amount: plan.amount,
              currency: 'UGX',
              phoneNumber: plan.phone,
              externalId: order.externalId,
            }),
            signal: AbortSignal.timeout(20_000),
          });
          status = res.status;
          body = (await res.json().catch(() => ({}))) as typeof body;
          o.onAnswer?.({
            route: ROUTES[plan.product],
            status,
            code: body.code,
            retryAfter: res.headers.get('retry-after'),
          });
        } catch {
          order.statuses.push(0);
          await new Promise((r) => setTimeout(r, Math.min(1000, 25 * attempt)));
          continue;
        }
        order.statuses.push(status);
        if (status === 202 && body.id) {
          order.accepted.push(body.id);
          break;
        }
        if (status === 409 && body.code === 'DUPLICATE_EXTERNAL_ID') {
          const found: typeof body = await fetch(
            `${o.url}${ROUTES[plan.product]}?externalId=${encodeURIComponent(order.externalId)}`,
            { headers },
          ).then(
            (r) => r.json() as Promise<typeof body>,
            () => ({}),
          );
          const live = found.items?.find((t) => t.status !== 'FAILED');
          if (live) {
            order.accepted.push(live.id);
            break;
          }
          continue;
        }
        // Answered: the attempt is settled (stored FAILED, or never stored); try again as a new request.
        key++;
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * attempt)));
      }
      o.onSettled?.(++settled);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return orders;
}
