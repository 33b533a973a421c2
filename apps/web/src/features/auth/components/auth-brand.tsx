import { useI18n } from '../../../lib/i18n/i18n';

/** The logo and name at the top of the sign-in and invitation cards. */
export function AuthBrand(): React.JSX.Element {
  const { t } = useI18n();
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        C
      </span>
      {t('app.name')}
    </div>
  );
}
