/**
 * What a template may be handed: words and already-cited strings, never raw numbers. A number can only
 * reach a note through `cite`, which records its evidence; a number in the view would bypass that.
 * Every view of one template has the same shape whatever the data (absent facts are `''` or `false`),
 * so a misspelled variable fails on every render, not only when its branch happens to run.
 */
export type ViewValue = string | boolean | readonly ViewValue[] | ViewObject;

export interface ViewObject {
  readonly [key: string]: ViewValue;
}

/** The shipped narratives; each is `templates/<name>.hbs`, overridable file by file. */
export const TEMPLATE_NAMES = ['seat-add', 'tier-upgrade', 'cross-sell', 'qbr-agenda', 'outreach-email'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A rendered template: its first line is the title, the rest the body. */
export interface RenderedText {
  readonly title: string;
  readonly body: string;
}

/** What scoring calls: render one narrative from its view. */
export interface NarrativeRenderer {
  render(name: TemplateName, view: ViewObject): RenderedText;
}
