// Three ways to trace an operation: withSpan around a block, traced() with an
// operation that names its own span, and @traceMethod on a class. Each prints
// its result; the spans go to the console (OTLP when an endpoint is set).
// expect-output: order o-1001 placed for 2 items
// expect-output: user u-7 loaded
// expect-output: payment refused: card expired (category validation)
import { classifyError, type Traceable, traced, traceMethod, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'tracing-example' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

/** An operation that knows its own span name and attributes, like Go's TracedOperation[T]. */
function placeOrder(orderId: string, items: number): Traceable {
  return {
    spanName: 'orders.place',
    spanAttributes: { 'order.id': orderId, 'order.items': items },
  };
}

class UserService {
  readonly #users = new Map([['u-7', { id: 'u-7', name: 'Ada' }]]);

  // The span is named UserService.getUser; `this` and the arguments are untouched.
  @traceMethod()
  async getUser(id: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.#users.get(id);
  }
}

class PaymentRefused extends Error {
  override name = 'PaymentRefused';
  readonly status = 400;
}

await withSpan('checkout', async (span) => {
  span.setAttribute('cart.id', 'c-1');

  const user = await new UserService().getUser('u-7');
  console.log(`user ${user?.id} loaded`);

  const placed = await traced(placeOrder('o-1001', 2), async () => ({ id: 'o-1001', items: 2 }));
  console.log(`order ${placed.id} placed for ${placed.items} items`);

  try {
    // A failing step: the span records the error and its status; the error itself comes back unchanged.
    await withSpan('payments.charge', async () => {
      throw new PaymentRefused('card expired');
    });
  } catch (error) {
    const { category } = classifyError(error);
    console.log(`payment refused: ${(error as Error).message} (category ${category})`);
  }
});

await telemetry.shutdown();
