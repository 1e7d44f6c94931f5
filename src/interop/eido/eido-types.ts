/**
 * The parts of an EIDO 1.0 document (NENA-STA-021.1b) that we write and read. The schema itself
 * (schemas/nena-eido/openapi.json) is the authority; these types only name what the code touches.
 */
export interface Reference {
  readonly $ref: string;
}

/** The prologue every component carries. */
export interface Prologue {
  readonly $id: string;
  readonly lastUpdateTimeStamp: string;
  readonly updatedByAgencyReference: Reference;
  readonly updatedByAgentReference?: Reference;
}

export interface AgencyComponent extends Prologue {
  readonly agencyRoleDescriptionRegistryText: readonly string[];
  readonly agencyType: readonly string[];
  readonly incidentOwningAgencyIndicator?: boolean;
}

export interface IncidentComponent extends Prologue {
  readonly incidentTypeCommonRegistryText: string;
  readonly incidentTypeInternalCode?: string;
  readonly incidentTypeInternalText?: string;
  readonly incidentStatusCommonRegistryText?: readonly string[];
  readonly incidentStatusInternalText?: readonly string[];
  readonly internalIncidentId?: string;
  readonly incidentCommonPriorityNumber?: number;
  readonly incidentPriorityInternalText?: string;
  readonly locationReference?: readonly Reference[];
  readonly personReference?: readonly Reference[];
  readonly notesReference?: readonly Reference[];
}

export interface LocationComponent extends Prologue {
  readonly locationTypeDescriptionRegistryText: string;
  readonly locationByValue?: string;
  readonly locationDescriptionText?: string;
  readonly locationByReferenceUrl?: string;
}

export interface NotesComponent extends Prologue {
  readonly notesActionComments: string;
}

export interface PersonComponent extends Prologue {
  readonly personIncidentRoleRegistryText: readonly string[];
  /** NIEM nc:PersonType: a name is `name[].personFullName[].value`. */
  readonly ncPersonComponent?: { readonly name?: readonly { readonly personFullName?: readonly { readonly value?: string }[] }[] };
  readonly callBackReference?: Reference;
}

export interface CallbackComponent extends Prologue {
  readonly callBackInformationUri?: readonly string[];
}

export interface EmergencyResourceComponent extends Prologue {
  readonly emergencyResourceTypeCommonRegistryText: string;
  readonly emergencyResourceTypeInternalText?: string;
  readonly emergencyResourceName?: string;
  readonly resourceAttributeRegistryText: readonly string[];
  readonly primaryUnitStatusRegistryText: string;
  readonly secondaryUnitStatusRegistryText: readonly string[];
  readonly unitStatusInternal?: readonly string[];
  readonly agentReference: readonly Reference[];
}

export interface DispatchComponent extends Prologue {
  readonly agencyReference?: Reference;
  readonly emergencyResourceReference?: readonly Reference[];
}

export interface MergeComponent extends Prologue {
  readonly incidentTrackingIdentifier: string;
  readonly incidentMergeDirectionCode: 'REPLACING' | 'REPLACED' | 'SPLIT';
}

export interface EidoDocument extends Prologue {
  readonly eidoVersion: '1.0';
  readonly issuingElementIdentification: string;
  readonly mergeComponent?: readonly MergeComponent[];
  readonly agencyComponent: readonly AgencyComponent[];
  readonly incidentComponent?: IncidentComponent;
  readonly locationComponent?: readonly LocationComponent[];
  readonly notesComponent?: readonly NotesComponent[];
  readonly personComponent?: readonly PersonComponent[];
  readonly callbackComponent?: readonly CallbackComponent[];
  readonly emergencyResourceComponent?: readonly EmergencyResourceComponent[];
  readonly dispatchComponent?: readonly DispatchComponent[];
}

export const EIDO_VERSION = '1.0';
