/**
 * The one check of a stage form against its items and the registered project (issue 16 items 3 and 4):
 * the fields the items ask (the catalog's and the national form of the certificate each issues) with
 * their required flags and types, then the registry cross-check — a field the registered project answers
 * must say what the registry says. Submission checks the whole form; a 补正 answer checks the fields it
 * changes (the rest was checked at submission), so neither can file a contradiction.
 */
import { DomainError } from '../../shared/errors';
import type { Item } from '../catalog/catalog.schemas';
import { itemFormFields, registryAnswers, registryContradictions } from '../projects/guide.rules';
import { checkForm, type FormFieldSpec } from './approval.rules';

export interface RegisteredProject {
  name: string;
  code: string;
  enterpriseName: string;
  totalInvestment: number | string;
  siteAreaM2: number | string;
  plannedStart: string;
  plannedCompletion: string;
  attributes: unknown;
}

/**
 * Throws FORM_INVALID (a required field missing or of the wrong type) or VALIDATION_FAILED (a registered
 * fact contradicted), naming the first field as body.form.<key>. `only` limits the check to those keys.
 */
export function assertStageForm(
  items: Iterable<Pick<Item, 'formFields' | 'certificateType'>>,
  form: Readonly<Record<string, unknown>>,
  project: RegisteredProject,
  only?: readonly string[],
) {
  const all = [...items].flatMap((i) => itemFormFields(i));
  const fields = only ? all.filter((f) => only.includes(f.key)) : all;
  const formProblems = checkForm(
    fields.map((f) => ({ ...f, type: f.type as FormFieldSpec['type'], required: f.required ?? false })),
    { ...form },
  );
  if (formProblems.length > 0) {
    throw new DomainError('FORM_INVALID', formProblems.map((p) => p.message).join('；'), {
      field: `body.form.${formProblems[0]!.field}`,
      details: formProblems,
    });
  }
  const contradictions = registryContradictions(
    fields,
    form,
    registryAnswers({
      name: project.name,
      code: project.code,
      enterpriseName: project.enterpriseName,
      totalInvestment: Number(project.totalInvestment),
      siteAreaM2: Number(project.siteAreaM2),
      plannedStart: project.plannedStart,
      plannedCompletion: project.plannedCompletion,
      attributes: project.attributes as Record<string, unknown>,
    }),
  );
  if (contradictions.length > 0) {
    throw new DomainError('VALIDATION_FAILED', contradictions.map((c) => c.message).join('；'), {
      field: `body.form.${contradictions[0]!.field}`,
      details: contradictions,
    });
  }
}
