/**
 * Nominal (branded) types: a ServerId and an Epoch are both numbers at run time, but the type
 * checker refuses to pass one where the other is expected.
 */
declare const brandTag: unique symbol;

export type Brand<T, Name extends string> = T & { readonly [brandTag]: Name };
