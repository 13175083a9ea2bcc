import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../common/i18n/locale';
import { templatesDir } from '../../common/i18n/labels';
import { registerTemplateHelpers } from '../../common/i18n/template-helpers';
import { AppConfig } from '../../config/app-config';
import { PageTexts } from './page-i18n';

/**
 * The pages' Handlebars, with every helper and the `t` word lookup: the view engine renders the
 * pages with it (registerPageSupport), and `fragment` renders a part of a page alone, so a page
 * can keep a part that stays the same for every reader until its data moves.
 */
@Injectable()
export class PageEngine {
  readonly handlebars = Handlebars.create();
  private readonly fragments = new Map<string, HandlebarsTemplateDelegate>();

  /** As the view engine's pages (registerPageSupport): read once in production, at each render otherwise. */
  private readonly keepsTemplates: boolean;

  constructor(texts: PageTexts, config: AppConfig) {
    this.keepsTemplates = config.nodeEnv === 'production';
    registerTemplateHelpers(this.handlebars);
    this.handlebars.registerHelper('t', (key: string, options: { data: { root: { lang: Locale } } }) =>
      texts.t(options.data.root.lang, key),
    );
  }

  /** templates/pages/fragments/<name>.hbs rendered with `data` in `lang`. */
  fragment(name: string, lang: Locale, data: Record<string, unknown>): string {
    let template = this.fragments.get(name);
    if (!template) {
      template = this.handlebars.compile(readFileSync(join(templatesDir(), 'pages', 'fragments', `${name}.hbs`), 'utf8'));
      if (this.keepsTemplates) this.fragments.set(name, template);
    }
    return template({ ...data, lang });
  }
}
