/** HubSpot's `country` is free text: a 2-letter code, or a country's name in German, English or French. */
const countryNames: Record<string, string> = {
  germany: 'DE',
  deutschland: 'DE',
  austria: 'AT',
  österreich: 'AT',
  switzerland: 'CH',
  schweiz: 'CH',
  suisse: 'CH',
  france: 'FR',
  frankreich: 'FR',
};

/** The ISO 3166-1 alpha-2 code of a 2-letter code or a known country name; undefined for anything else. */
export function countryCodeOf(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^[A-Za-z]{2}$/.test(v)) return v.toUpperCase();
  return countryNames[v.toLowerCase()];
}
