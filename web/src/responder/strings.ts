import type { Strings } from '../shared/i18n.ts';

export type ResponderKey = 'title' | 'tagline' | 'signUp' | 'language' | 'offlineReady';

export const STRINGS: Strings<ResponderKey> = {
  en: {
    title: 'Samaritan responder',
    tagline: 'Trained to help? Be alerted when someone near you needs it.',
    signUp: 'Sign up',
    language: 'Language',
    offlineReady: 'Alerts reach this phone even with the page closed.',
  },
  fr: {
    title: 'Samaritan — citoyen sauveteur',
    tagline: 'Formé aux premiers secours ? Soyez alerté quand quelqu’un près de vous en a besoin.',
    signUp: 'S’inscrire',
    language: 'Langue',
    offlineReady: 'Les alertes arrivent sur ce téléphone même page fermée.',
  },
};
