/**
 * Text limits the Qonto Business API documents, enforced by the emulator with Qonto's 422 body.
 * Each number is the `maxLength` shown on the docs page named next to it; a field whose page shows
 * no limit is `undefined` here and is not limited by the emulator.
 */
export const qontoLimits = {
  client: {
    /** QD create-a-client / update-a-client: `name` 250. */
    name: 250 as number | undefined,
    /** QD create-a-client / update-a-client: `first_name` 60, `last_name` 60. */
    firstName: 60 as number | undefined,
    lastName: 60 as number | undefined,
    /** QD update-a-client: `address` 250 ("DEPRECATED … use billing_address.street_address"). */
    streetAddress: 250 as number | undefined,
    /** QD update-a-client: `city` 50 ("DEPRECATED … use billing_address.city"). */
    city: 50 as number | undefined,
    zipCode: undefined as number | undefined,
    /** QD create-a-client / update-a-client: `vat_number` 20, `tax_identification_number` 30. */
    vatNumber: 20 as number | undefined,
    taxIdentificationNumber: 30 as number | undefined,
  },
  invoice: {
    itemTitle: undefined as number | undefined,
    itemDescription: undefined as number | undefined,
    header: undefined as number | undefined,
    footer: undefined as number | undefined,
    termsAndConditions: undefined as number | undefined,
    maxItems: undefined as number | undefined,
  },
};
