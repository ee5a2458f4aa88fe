"""Use cases of step 5: contacts and partners, the professionals' intentions and commitment.

The guide's key to success is the mobilisation of the professionals: meet them, identify a
*leader*, record what each of them wants (group or pluriprofessional practice, premises, moving,
horizon, conditions) and how far each has committed (contacté → rencontré → intéressé → lettre
d'intention → signataire du projet de santé). :func:`mobilisation_summary` says whether the
committed team reaches the minimum of a maison de santé (2 GPs and 1 paramedical professional).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.formatting import format_date
from santeloc.domain.models import CommitmentEvent, Contact, Professional
from santeloc.domain.professions import PROFESSIONS, PROFESSIONS_BY_KEY, check_professional
from santeloc.domain.team import (
    COMMITMENT_ORDER,
    GP_KEY,
    TeamMinimum,
    commitment_rank,
    is_committed,
)
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.projects import touch_project as _touch

# --- contacts --------------------------------------------------------------------------------

CONTACT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("professionnel", "Professionnel de santé", "professionnel"),
    ("ars", "ARS — délégation départementale", "institution"),
    ("cpam_msa", "Assurance maladie (CPAM, MSA)", "institution"),
    ("ordre", "Ordre professionnel", "institution"),
    ("urps", "URPS (union régionale des professionnels de santé)", "institution"),
    ("conseil_departemental", "Conseil départemental", "institution"),
    ("region", "Conseil régional", "institution"),
    ("prefecture", "Préfecture, sous-préfecture", "institution"),
    ("elu", "Élu ou élue", "elu"),
    ("autre", "Autre partenaire", "autre"),
)
"""(kind, French label, group): the group is ``professionnel``, ``institution``, ``elu`` or ``autre``."""

CONTACT_LABELS = {key: label for key, label, _group in CONTACT_KINDS}
CONTACT_GROUPS = {key: group for key, _label, group in CONTACT_KINDS}
CONTACT_GROUP_LABELS = {
    "professionnel": "Professionnels de santé",
    "institution": "Institutions",
    "elu": "Élus",
    "autre": "Autres partenaires",
}

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class ContactRow:
    """A contact or partner as the step shows it."""

    id: int
    kind: str
    name: str
    role: str
    organisation: str
    phone: str
    email: str
    professional_id: int | None

    @property
    def kind_label(self) -> str:
        """French label of the kind."""
        return CONTACT_LABELS.get(self.kind, self.kind or "Non précisé")

    @property
    def group(self) -> str:
        """``professionnel``, ``institution``, ``elu`` or ``autre``."""
        return CONTACT_GROUPS.get(self.kind, "autre")

    @property
    def display_name(self) -> str:
        """Name followed by the organisation when there is one: "Mme Roux (ARS — DD de la Nièvre)"."""
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


def normalise_phone(text: str) -> str:
    """A French phone number written ``03 86 12 34 56``; international numbers kept with their ``+``.

    ``+33 3 86 12 34 56``, ``0033386123456`` and ``03.86.12.34.56`` all become ``03 86 12 34 56``.
    An empty text stays empty.

    Raises:
        ValidationError: not a phone number (French message with an example).
    """
    stripped = text.strip()
    if not stripped:
        return ""
    compact = re.sub(r"[\s.\-/()\u00a0\u202f]", "", stripped)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        compact = "0" + compact[3:].removeprefix("0")
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+[1-9]\d{6,14}", compact):
        return compact
    raise ValidationError(
        f"Numéro de téléphone « {stripped} » invalide : 10 chiffres commençant par 0 (par exemple "
        "03 86 12 34 56), ou un numéro international commençant par +."
    )


def normalise_email(text: str) -> str:
    """An e-mail address, trimmed, its domain in lower case; an empty text stays empty.

    Raises:
        ValidationError: not an e-mail address (French message with an example).
    """
    stripped = text.strip()
    if not stripped:
        return ""
    if not _EMAIL.fullmatch(stripped) or ".." in stripped or len(stripped) > 200:
        raise ValidationError(
            f"Adresse e-mail « {stripped} » invalide (attendu par exemple prenom.nom@mairie-exemple.fr)."
        )
    local, _, domain = stripped.rpartition("@")
    return f"{local}@{domain.lower()}"


def _contact_row(c: Contact) -> ContactRow:
    return ContactRow(c.id or 0, c.kind, c.name, c.role, c.organisation, c.phone, c.email, c.professional_id)


def _professional_name(p: Professional) -> str:
    name = " ".join(part for part in (p.first_name, p.last_name) if part)
    if name:
        return name
    return f"RPPS {p.rpps}" if p.rpps else f"Professionnel n° {p.id}"


CONTACT_FIELDS = ("kind", "name", "role", "organisation", "phone", "email", "professional_id")


def _check_contact(uow: UnitOfWork, project_id: int, values: dict[str, object], except_id: int | None) -> None:
    """Validate and normalise a contact's values in place (French messages)."""
    kind = str(values.get("kind") or "")
    if kind not in CONTACT_LABELS:
        raise ValidationError(f"Type de contact inconnu : « {kind} ».")
    professional_id = values.get("professional_id")
    if kind == "professionnel" and professional_id is not None:
        professional = uow.session.get(Professional, professional_id)
        if professional is None or professional.project_id != project_id:
            raise NotFoundError("Ce professionnel n'est plus dans le registre du projet (supprimé depuis ?).")
        query = select(Contact).where(
            col(Contact.project_id) == project_id, col(Contact.professional_id) == professional_id
        )
        if except_id is not None:
            query = query.where(col(Contact.id) != except_id)
        other = uow.session.execute(query).scalars().first()
        if other is not None:
            raise ValidationError(f"{_professional_name(professional)} a déjà une fiche contact (« {other.name} »).")
        if not str(values.get("name") or "").strip():
            values["name"] = _professional_name(professional)
    elif professional_id is not None:
        raise ValidationError("Seul un contact de type « Professionnel de santé » peut être relié au registre.")
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationError("Le contact a besoin d'un nom.")
    values["name"] = name[:200]
    for key in ("role", "organisation"):
        values[key] = " ".join(str(values.get(key) or "").split())[:200]
    values["phone"] = normalise_phone(str(values.get("phone") or ""))
    values["email"] = normalise_email(str(values.get("email") or ""))


def list_contacts(uow: UnitOfWork, project_id: int, *, group: str | None = None) -> list[ContactRow]:
    """Contacts of the project by group (professionals, institutions, elected officials, others), then name."""
    order = list(CONTACT_GROUP_LABELS)
    with uow:
        rows = uow.session.execute(select(Contact).where(col(Contact.project_id) == project_id)).scalars().all()
        result = [_contact_row(c) for c in rows]
    if group is not None:
        result = [r for r in result if r.group == group]
    return sorted(result, key=lambda r: (order.index(r.group), r.name.lower(), r.id))


def get_contact(uow: UnitOfWork, contact_id: int) -> ContactRow:
    """One contact."""
    with uow:
        contact = uow.session.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError("Ce contact n'existe plus (supprimé depuis un autre poste ?).")
        return _contact_row(contact)


def add_contact(
    uow: UnitOfWork,
    project_id: int,
    *,
    kind: str,
    name: str = "",
    role: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
    professional_id: int | None = None,
) -> int:
    """Add a contact; a professional's contact may leave the name empty (taken from the registry)."""
    values: dict[str, object] = {
        "kind": kind, "name": name, "role": role, "organisation": organisation, "phone": phone, "email": email,
        "professional_id": professional_id,
    }  # fmt: skip
    with uow:
        _touch(uow, project_id)
        _check_contact(uow, project_id, values, None)
        contact = Contact(project_id=project_id, **values)  # type: ignore[arg-type]
        uow.session.add(contact)
        uow.commit()
        assert contact.id is not None
        return contact.id


def update_contact(uow: UnitOfWork, contact_id: int, **changes: object) -> None:
    """Change a contact's fields (``kind``, ``name``, ``role``, ``organisation``, ``phone``, ``email``,
    ``professional_id``), validated together."""
    wrong = set(changes) - set(CONTACT_FIELDS)
    if wrong:
        raise ValueError(sorted(wrong))
    with uow:
        contact = uow.session.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError("Ce contact n'existe plus (supprimé depuis un autre poste ?).")
        values = {key: getattr(contact, key) for key in CONTACT_FIELDS} | changes
        _check_contact(uow, contact.project_id, values, contact_id)
        for key, value in values.items():
            setattr(contact, key, value)
        uow.session.add(contact)
        _touch(uow, contact.project_id)
        uow.commit()


def delete_contact(uow: UnitOfWork, contact_id: int) -> None:
    """Remove a contact (and its presence in meetings)."""
    with uow:
        contact = uow.session.get(Contact, contact_id)
        if contact is None:
            return
        _touch(uow, contact.project_id)
        uow.session.delete(contact)
        uow.commit()


def contacts_from_registry(uow: UnitOfWork, project_id: int, professional_ids: Iterable[int]) -> list[int]:
    """Create a contact for each given professional of the registry that has none yet; their ids."""
    wanted = list(professional_ids)
    with uow:
        _touch(uow, project_id)
        professionals = (
            uow.session.execute(
                select(Professional).where(col(Professional.project_id) == project_id, col(Professional.id).in_(wanted))
            )
            .scalars()
            .all()
        )
        linked = set(
            uow.session.execute(
                select(col(Contact.professional_id)).where(
                    col(Contact.project_id) == project_id, col(Contact.professional_id).is_not(None)
                )
            ).scalars()
        )
        created: list[Contact] = []
        for professional in professionals:
            if professional.id in linked:
                continue
            profession = PROFESSIONS_BY_KEY.get(professional.profession)
            contact = Contact(
                project_id=project_id,
                kind="professionnel",
                name=_professional_name(professional)[:200],
                role=profession.label if profession else professional.profession,
                professional_id=professional.id,
            )
            uow.session.add(contact)
            created.append(contact)
        uow.commit()
        return [c.id for c in created if c.id is not None]


# --- mobilisation answers ----------------------------------------------------------------------

MOBILISATION_FIELDS = (
    "wants_group_practice",
    "wants_pluriprofessional",
    "owns_premises",
    "ready_to_move",
    "horizon",
    "conditions",
    "is_leader",
    "fte",
)

MOBILISATION_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("wants_group_practice", "Souhaite exercer en groupe"),
    ("wants_pluriprofessional", "Souhaite un exercice pluriprofessionnel coordonné"),
    ("owns_premises", "Propriétaire de son local (sinon locataire)"),
    ("ready_to_move", "Prêt(e) à déménager dans un lieu commun"),
    ("fte", "Temps de travail (1 = temps plein)"),
    ("horizon", "À quel horizon"),
    ("conditions", "Ses conditions, ses attentes"),
    ("is_leader", "Leader du projet"),
)
"""The guide's questions to each professional, in the order they are asked, with their French labels."""


@dataclass(frozen=True)
class MobilisationRow:
    """A professional with the answers to the guide's questions and the commitment reached."""

    professional_id: int
    name: str
    profession: str
    commune_code: str
    wants_group_practice: bool | None
    wants_pluriprofessional: bool | None
    owns_premises: bool | None
    ready_to_move: bool | None
    fte: float | None
    horizon: str
    conditions: str
    is_leader: bool
    commitment_status: str
    version: int
    contact_id: int | None

    @property
    def profession_label(self) -> str:
        """French label of the profession."""
        profession = PROFESSIONS_BY_KEY.get(self.profession)
        return profession.label if profession else self.profession

    @property
    def commitment_label(self) -> str:
        """French label of the commitment ("Non contacté" before the first contact)."""
        return status_label(self.commitment_status)

    @property
    def is_committed(self) -> bool:
        """Has sent a lettre d'intention or signed the projet de santé."""
        return is_committed(self.commitment_status)

    @property
    def would_rather_stay(self) -> bool:
        """Not ready to move: the guide's hint that a pôle de santé (multi-site) may suit better."""
        return self.ready_to_move is False


def status_label(status: str) -> str:
    """French label of a commitment status; an empty status reads "Non contacté"."""
    if not status:
        return "Non contacté"
    try:
        return CommitmentStatus(status).label
    except ValueError:
        return status


_rank = commitment_rank


def list_mobilisation(uow: UnitOfWork, project_id: int) -> list[MobilisationRow]:
    """Every professional of the registry with their answers, by profession (registry order) then name."""
    order = [p.key for p in PROFESSIONS]
    with uow:
        professionals = (
            uow.session.execute(select(Professional).where(col(Professional.project_id) == project_id)).scalars().all()
        )
        contacts = dict(
            uow.session.execute(
                select(col(Contact.professional_id), col(Contact.id)).where(
                    col(Contact.project_id) == project_id, col(Contact.professional_id).is_not(None)
                )
            ).all()
        )
        rows = [
            MobilisationRow(
                p.id or 0,
                _professional_name(p),
                p.profession,
                p.commune_code,
                p.wants_group_practice,
                p.wants_pluriprofessional,
                p.owns_premises,
                p.ready_to_move,
                p.fte,
                p.horizon,
                p.conditions,
                p.is_leader,
                p.commitment_status,
                p.version,
                contacts.get(p.id),
            )
            for p in professionals
        ]
    return sorted(
        rows,
        key=lambda r: (
            order.index(r.profession) if r.profession in order else len(order),
            r.name.lower(),
            r.professional_id,
        ),
    )


def _load_professional(uow: UnitOfWork, professional_id: int, expected_version: int | None) -> Professional:
    professional = uow.session.get(Professional, professional_id)
    if professional is None:
        raise NotFoundError("Ce professionnel n'est plus dans le registre (supprimé depuis un autre poste ?).")
    if expected_version is not None and professional.version != expected_version:
        raise ConflictError(
            f"La fiche de {_professional_name(professional)} a été modifiée par quelqu'un d'autre depuis son "
            "affichage. Rien n'a été écrasé : les données à jour ont été rechargées."
        )
    return professional


def update_mobilisation(uow: UnitOfWork, professional_id: int, expected_version: int | None, **changes: object) -> int:
    """Record a professional's answers to the guide's questions; returns the new version.

    Accepted keys: :data:`MOBILISATION_FIELDS`. ``None`` for a yes/no question means "not known
    yet". Refused (:class:`ConflictError`) if someone saved the professional since
    ``expected_version``.
    """
    wrong = set(changes) - set(MOBILISATION_FIELDS)
    if wrong:
        raise ValueError(sorted(wrong))
    for key in ("wants_group_practice", "wants_pluriprofessional", "owns_premises", "ready_to_move"):
        if key in changes and changes[key] is not None and not isinstance(changes[key], bool):
            raise ValueError(f"{key} must be True, False or None")
    if "is_leader" in changes:
        changes["is_leader"] = bool(changes["is_leader"])
    if "horizon" in changes:
        horizon = " ".join(str(changes["horizon"] or "").split())
        if len(horizon) > 120:
            raise ValidationError("L'horizon se dit en quelques mots (120 caractères au plus), par exemple « 2027 ».")
        changes["horizon"] = horizon
    if "conditions" in changes:
        changes["conditions"] = str(changes["conditions"] or "").strip()
    if "fte" in changes:
        fte = changes["fte"]
        check_professional(birth_year=None, fte=float(fte) if fte is not None else None, sector=None, today_year=0)  # type: ignore[arg-type]
    with uow:
        professional = _load_professional(uow, professional_id, expected_version)
        for key, value in changes.items():
            setattr(professional, key, value)
        uow.session.add(professional)
        _touch(uow, professional.project_id)
        uow.commit()
        return professional.version


# --- commitment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentEventRow:
    """One step of a professional's commitment history, in date order."""

    id: int
    status: str
    on: date
    note: str
    previous_status: str
    backwards: bool

    @property
    def status_label(self) -> str:
        """French label of the status."""
        return status_label(self.status)

    @property
    def sentence(self) -> str:
        """The event in plain French: "Le 12/03/2026 : Intéressé → Lettre d'intention"."""
        change = f"{status_label(self.previous_status)} → {self.status_label}"
        text = f"Le {format_date(self.on)} : {change}"
        if self.backwards:
            text += " (retour en arrière)"
        return text + (f" — {self.note}" if self.note else "")


@dataclass(frozen=True)
class CommitmentChange:
    """What :func:`set_commitment` did."""

    event_id: int
    status: str
    current_status: str
    backwards: bool
    version: int
    message: str


def _history(uow: UnitOfWork, professional_id: int) -> list[CommitmentEvent]:
    return list(
        uow.session.execute(
            select(CommitmentEvent)
            .where(col(CommitmentEvent.professional_id) == professional_id)
            .order_by(col(CommitmentEvent.on), col(CommitmentEvent.id))
        )
        .scalars()
        .all()
    )


def _event_rows(events: Sequence[CommitmentEvent]) -> list[CommitmentEventRow]:
    rows: list[CommitmentEventRow] = []
    previous = ""
    for event in events:
        rows.append(
            CommitmentEventRow(
                event.id or 0, event.status, event.on, event.note, previous, _rank(event.status) < _rank(previous)
            )
        )
        previous = event.status
    return rows


def commitment_history(uow: UnitOfWork, professional_id: int) -> list[CommitmentEventRow]:
    """A professional's commitment history, oldest first; steps backwards are flagged."""
    with uow:
        if uow.session.get(Professional, professional_id) is None:
            raise NotFoundError("Ce professionnel n'est plus dans le registre (supprimé depuis un autre poste ?).")
        return _event_rows(_history(uow, professional_id))


def set_commitment(
    uow: UnitOfWork,
    professional_id: int,
    status: CommitmentStatus | str,
    on: date | None,
    note: str = "",
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> CommitmentChange:
    """Record a change of commitment on a date, appended to the history.

    Statuses follow the order contacté → rencontré → intéressé → lettre d'intention →
    signataire. Going backwards (a professional who withdraws) is allowed and flagged in the
    history. An event may be back-dated: the current status is always the one of the latest
    event by date, so recording an older step does not change it. Refused: an unknown status,
    no date, a date in the future, or the same status as the step just before it.
    """
    try:
        wanted = CommitmentStatus(status)
    except ValueError:
        raise ValidationError(f"Statut d'engagement inconnu : « {status} ».") from None
    if on is None:
        raise ValidationError("Indiquez la date de ce changement d'engagement.")
    today = today or date.today()
    if on > today:
        raise ValidationError(
            f"La date du {format_date(on)} est dans le futur : un engagement s'enregistre une fois obtenu."
        )
    with uow:
        professional = _load_professional(uow, professional_id, expected_version)
        name = _professional_name(professional)
        events = _history(uow, professional_id)
        before = [e for e in events if e.on <= on]
        previous = before[-1].status if before else ""
        if previous == wanted.value:
            raise ValidationError(
                f"{name} est déjà au statut « {wanted.label} » depuis le {format_date(before[-1].on)}."
            )
        event = CommitmentEvent(professional_id=professional_id, status=wanted.value, on=on, note=note.strip())
        uow.session.add(event)
        uow.flush()
        current = _history(uow, professional_id)[-1].status
        professional.commitment_status = current
        uow.session.add(professional)
        _touch(uow, professional.project_id)
        uow.commit()
        assert event.id is not None
        backwards = _rank(wanted.value) < _rank(previous)
        if backwards:
            message = (
                f"Retour en arrière enregistré pour {name} : de « {status_label(previous)} » à « {wanted.label} » "
                f"le {format_date(on)}."
            )
        else:
            message = f"{name} : « {wanted.label} » le {format_date(on)}."
        if current != wanted.value:
            message += f" Son statut actuel reste « {status_label(current)} » (étape plus récente)."
        return CommitmentChange(event.id, wanted.value, current, backwards, professional.version, message)


def delete_commitment_event(uow: UnitOfWork, event_id: int) -> str:
    """Remove a step recorded by mistake; returns the professional's status after it."""
    with uow:
        event = uow.session.get(CommitmentEvent, event_id)
        if event is None:
            raise NotFoundError("Cette étape de l'historique n'existe plus.")
        professional = _load_professional(uow, event.professional_id, None)
        uow.session.delete(event)
        uow.flush()
        events = _history(uow, professional.id or 0)
        professional.commitment_status = events[-1].status if events else ""
        uow.session.add(professional)
        _touch(uow, professional.project_id)
        uow.commit()
        return professional.commitment_status


# --- summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfessionSummary:
    """One profession's line of the mobilisation summary."""

    profession: str
    label: str
    plural_label: str
    total: int
    by_status: dict[str, int]
    committed: int
    leaders: int
    paramedical: bool


@dataclass(frozen=True)
class MobilisationSummary:
    """How far the professionals have committed, per profession, against the MSP minimum."""

    professions: list[ProfessionSummary]
    total: int
    committed: int
    gps_committed: int
    paramedical_committed: int
    leaders: list[str] = field(default_factory=list)
    reaches_msp_minimum: bool = False
    sentence: str = ""

    @property
    def statuses(self) -> list[tuple[str, str]]:
        """(status, French label) columns of the summary, "non contacté" first."""
        return [("", status_label(""))] + [(s.value, s.label) for s in COMMITMENT_ORDER]


def msp_minimum_sentence(gps: int, paramedical: int) -> tuple[bool, str]:
    """Whether the committed team reaches the MSP minimum, and the French sentence saying so."""
    minimum = TeamMinimum(gps, paramedical)
    return minimum.met, minimum.sentence


def mobilisation_summary(uow: UnitOfWork, project_id: int) -> MobilisationSummary:
    """Per profession: counts by commitment status, committed (lettre d'intention or signataire),
    leaders; and whether the committed team reaches the MSP minimum (2 GPs and 1 paramedical)."""
    rows = list_mobilisation(uow, project_id)
    statuses = [""] + [s.value for s in COMMITMENT_ORDER]
    per: dict[str, list[MobilisationRow]] = {}
    for row in rows:
        per.setdefault(row.profession, []).append(row)
    professions: list[ProfessionSummary] = []
    for key, members in per.items():
        profession = PROFESSIONS_BY_KEY.get(key)
        by_status = dict.fromkeys(statuses, 0)
        for member in members:
            by_status[member.commitment_status if member.commitment_status in by_status else ""] += 1
        professions.append(
            ProfessionSummary(
                profession=key,
                label=profession.label if profession else key,
                plural_label=profession.plural if profession else key,
                total=len(members),
                by_status=by_status,
                committed=sum(1 for m in members if m.is_committed),
                leaders=sum(1 for m in members if m.is_leader),
                paramedical=bool(profession and profession.paramedical),
            )
        )
    gps = next((p.committed for p in professions if p.profession == GP_KEY), 0)
    paramedical = sum(p.committed for p in professions if p.paramedical)
    reached, sentence = msp_minimum_sentence(gps, paramedical)
    return MobilisationSummary(
        professions=professions,
        total=len(rows),
        committed=sum(p.committed for p in professions),
        gps_committed=gps,
        paramedical_committed=paramedical,
        leaders=[f"{r.name} ({r.profession_label})" for r in rows if r.is_leader],
        reaches_msp_minimum=reached,
        sentence=sentence,
    )
