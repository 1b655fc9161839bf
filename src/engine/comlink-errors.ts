import * as Comlink from 'comlink';

type ThrowHandler = Comlink.TransferHandler<{ value: unknown }, unknown>;

/**
 * Makes this realm's Comlink send a thrown error with its own fields, not only its name,
 * message and stack: a fetch failure's executor, a corrupt batch's offset. Fields that are not
 * primitives stay behind, so the error always crosses. (Comlink rebuilds it on the other side
 * with `Object.assign`, which keeps them.) Called by the executor worker.
 */
export function keepErrorFields(): void {
  const comlinkThrow = Comlink.transferHandlers.get('throw') as ThrowHandler;
  Comlink.transferHandlers.set('throw', {
    ...comlinkThrow,
    serialize(thrown) {
      const { value } = thrown;
      if (!(value instanceof Error)) return comlinkThrow.serialize(thrown);
      const fields = Object.entries(value).filter(([, field]) => primitive(field));
      const error = {
        ...Object.fromEntries(fields),
        message: value.message,
        name: value.name,
        stack: value.stack,
      };
      return [{ isError: true, value: error }, []];
    },
  } satisfies ThrowHandler);
}

const primitive = (value: unknown): boolean =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);
