import type { Strings } from '../shared/i18n.ts';

export type ConsoleKey =
  | 'title' | 'signIn' | 'name' | 'password' | 'signInFailed' | 'signOut' | 'incidents' | 'noIncidents'
  | 'live' | 'connecting' | 'offline' | 'language' | 'map' | 'priority' | 'received';

export const STRINGS: Strings<ConsoleKey> = {
  en: {
    title: 'Samaritan dispatch',
    signIn: 'Sign in',
    name: 'Name',
    password: 'Password',
    signInFailed: 'Wrong name or password',
    signOut: 'Sign out',
    incidents: 'Incidents',
    noIncidents: 'No open incidents',
    live: 'Live',
    connecting: 'Connecting…',
    offline: 'Offline: reconnecting, nothing will be missed',
    language: 'Language',
    map: 'Map of the service area',
    priority: 'P{p}',
    received: 'received {t}',
  },
  fr: {
    title: 'Samaritan — régulation',
    signIn: 'Se connecter',
    name: 'Nom',
    password: 'Mot de passe',
    signInFailed: 'Nom ou mot de passe incorrect',
    signOut: 'Se déconnecter',
    incidents: 'Interventions',
    noIncidents: 'Aucune intervention en cours',
    live: 'En direct',
    connecting: 'Connexion…',
    offline: 'Hors ligne : reconnexion, rien ne sera perdu',
    language: 'Langue',
    map: 'Carte du secteur',
    priority: 'P{p}',
    received: 'reçue {t}',
  },
};
