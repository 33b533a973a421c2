import { useI18n } from '../../../lib/i18n/i18n';

export function SetupGuide(): React.JSX.Element {
  const { t } = useI18n();
  return (
    <aside className="guide" aria-labelledby="wa-guide-title">
      <h3 id="wa-guide-title">{t('guide.title')}</h3>
      <ol>
        <li>{t('guide.step1')}</li>
        <li>{t('guide.step2')}</li>
        <li>{t('guide.step3')}</li>
        <li>{t('guide.step4')}</li>
        <li>{t('guide.step5')}</li>
      </ol>
    </aside>
  );
}
