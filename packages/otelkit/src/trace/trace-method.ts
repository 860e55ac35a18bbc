import { runInSpan } from './run-in-span.ts';
import type { TraceableReturn, TraceMethodOptions } from './span-options.ts';

/**
 * A TC39 standard method decorator that runs each call of the method in a
 * span named `ClassName.methodName` (or `options.name`), with `this` and the
 * arguments unchanged. Sync methods stay sync; async methods end their span
 * when the promise settles. Errors are recorded and rethrown unchanged.
 *
 * @example
 * class UserService {
 *   @traceMethod()
 *   async getUser(id: string) {
 *     return db.users.find(id);
 *   }
 * }
 */
export function traceMethod(options?: TraceMethodOptions) {
  return <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => NoInfer<TraceableReturn<Return>>,
    decorator: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): ((this: This, ...args: Args) => Return) => {
    let spanName = options?.name;
    function tracedMethod(this: This, ...args: Args): Return {
      spanName ??= `${ownerName(this, tracedMethod, decorator)}.${memberName(decorator.name)}`;
      return runInSpan(spanName, options, options?.attributes, method, this, args) as Return;
    }
    return tracedMethod;
  };
}

/**
 * The name of the class that declares the method. Decorators do not see the
 * class, so on the first call the owner is found by walking up from `this`
 * (an instance, or the class for static methods) to the object that holds
 * the decorated method; subclasses calling it still get the declaring class.
 */
function ownerName(
  receiver: unknown,
  wrapper: unknown,
  decorator: Pick<ClassMethodDecoratorContext, 'name' | 'private' | 'static'>,
): string {
  if (receiver === null || receiver === undefined) return 'anonymous';
  const isStatic = decorator.static;
  if (!decorator.private) {
    for (
      let owner: object | null = Object(receiver);
      owner !== null;
      owner = Object.getPrototypeOf(owner)
    ) {
      if (Object.getOwnPropertyDescriptor(owner, decorator.name)?.value === wrapper) {
        return className(isStatic ? owner : (owner as { constructor?: unknown }).constructor);
      }
    }
  }
  return className(isStatic ? receiver : (receiver as { constructor?: unknown }).constructor);
}

function className(value: unknown): string {
  const name = typeof value === 'function' ? value.name : undefined;
  return name || 'anonymous';
}

function memberName(name: string | symbol): string {
  return typeof name === 'symbol' ? `[${name.description ?? ''}]` : name;
}
