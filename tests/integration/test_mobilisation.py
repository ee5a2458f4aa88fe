"""Step 5 on a real database (SQLite and PostgreSQL): contacts, the professionals' answers, commitment."""

from __future__ import annotations

from datetime import date

import pytest

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.errors import ConflictError, ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import mobilisation as svc
from santeloc.services import offer
from santeloc.services import projects as project_svc
from santeloc.services.territory import add_communes

TODAY = date(2026, 6, 15)


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "MSP de Puisaye")
    add_communes(uow, info.id, ["58227", "58012"], refdata=refdata)
    return info.id


def professional(uow: UnitOfWork, project_id: int, refdata: RefData, last_name: str, profession: str) -> int:
    return offer.add_professional(
        uow, project_id, refdata, last_name=last_name, first_name="Camille", profession=profession, commune_code="58227"
    )


# --- contacts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("03 86 12 34 56", "03 86 12 34 56"),
        ("03.86.12.34.56", "03 86 12 34 56"),
        ("0386123456", "03 86 12 34 56"),
        ("+33 3 86 12 34 56", "03 86 12 34 56"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033612345678", "06 12 34 56 78"),
        ("+32 2 123 45 67", "+3221234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_written_the_french_way(typed: str, stored: str) -> None:
    assert svc.normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "03 86 12 34", "00 00 00 00 00", "mairie", "+33 3 86"])
def test_wrong_phone_numbers_are_refused_in_french(typed: str) -> None:
    with pytest.raises(ValidationError, match=r"Numéro de téléphone .* invalide : 10 chiffres commençant par 0"):
        svc.normalise_phone(typed)


def test_email_addresses_are_checked() -> None:
    assert svc.normalise_email("  Claire.Roux@ARS.Sante.FR ") == "Claire.Roux@ars.sante.fr"
    for wrong in ("claire.roux", "claire@", "@ars.sante.fr", "claire roux@ars.fr", "claire@ars", "a..b@ars.fr"):
        with pytest.raises(ValidationError, match=r"Adresse e-mail .* invalide"):
            svc.normalise_email(wrong)


def test_contacts_of_every_kind(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    linked = svc.add_contact(uow, project_id, kind="professionnel", professional_id=gp, phone="0386123456")
    ars = svc.add_contact(
        uow, project_id, kind="ars", name="  Claire   Roux ", role="Chargée de mission premier recours",
        organisation="ARS Bourgogne-Franche-Comté — DD de la Nièvre", phone="+33 3 86 00 00 01",
        email="claire.roux@ARS.SANTE.FR",
    )  # fmt: skip
    mayor = svc.add_contact(uow, project_id, kind="elu", name="Jean Dupuis", role="Maire", organisation="Commune")
    svc.add_contact(uow, project_id, kind="cpam_msa", name="Service installation", organisation="CPAM de la Nièvre")

    contacts = svc.list_contacts(uow, project_id)
    assert [c.group for c in contacts] == ["professionnel", "institution", "institution", "elu"]
    by_id = {c.id: c for c in contacts}
    assert by_id[linked].name == "Camille Martin"  # taken from the registry
    assert by_id[linked].phone == "03 86 12 34 56"
    assert by_id[linked].kind_label == "Professionnel de santé"
    assert by_id[ars].name == "Claire Roux"
    assert by_id[ars].phone == "03 86 00 00 01"
    assert by_id[ars].email == "claire.roux@ars.sante.fr"
    assert by_id[ars].kind_label == "ARS — délégation départementale"
    assert [c.id for c in svc.list_contacts(uow, project_id, group="elu")] == [mayor]

    svc.update_contact(uow, mayor, role="Président de la communauté de communes", email="j.dupuis@cc-puisaye.fr")
    assert svc.get_contact(uow, mayor).role == "Président de la communauté de communes"
    svc.delete_contact(uow, mayor)
    assert mayor not in {c.id for c in svc.list_contacts(uow, project_id)}


def test_contacts_bad_input_is_refused_in_french(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    svc.add_contact(uow, project_id, kind="professionnel", professional_id=gp)
    with pytest.raises(ValidationError, match="Camille Martin a déjà une fiche contact"):
        svc.add_contact(uow, project_id, kind="professionnel", professional_id=gp)
    with pytest.raises(ValidationError, match="Le contact a besoin d'un nom"):
        svc.add_contact(uow, project_id, kind="elu", name="   ")
    with pytest.raises(ValidationError, match="Type de contact inconnu"):
        svc.add_contact(uow, project_id, kind="notaire", name="Maître Blanc")
    with pytest.raises(ValidationError, match="Seul un contact de type « Professionnel de santé »"):
        svc.add_contact(uow, project_id, kind="elu", name="Jean", professional_id=gp)
    with pytest.raises(ValidationError, match="Adresse e-mail"):
        svc.add_contact(uow, project_id, kind="ordre", name="Conseil de l'ordre", email="ordre58")
    mayor = svc.add_contact(uow, project_id, kind="elu", name="Jean Dupuis")
    with pytest.raises(ValidationError, match="Numéro de téléphone"):
        svc.update_contact(uow, mayor, phone="123")
    assert svc.get_contact(uow, mayor).phone == ""
    assert len(svc.list_contacts(uow, project_id)) == 2


def test_contacts_from_the_registry(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    nurse = professional(uow, project_id, refdata, "Durand", "infirmier")
    svc.add_contact(uow, project_id, kind="professionnel", professional_id=gp)
    created = svc.contacts_from_registry(uow, project_id, [gp, nurse])
    assert len(created) == 1
    contact = svc.get_contact(uow, created[0])
    assert (contact.name, contact.role, contact.professional_id) == ("Camille Durand", "Infirmier ou infirmière", nurse)
    assert svc.contacts_from_registry(uow, project_id, [gp, nurse]) == []


# --- answers to the guide's questions --------------------------------------------------------


def test_mobilisation_answers_with_optimistic_versions(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    row = svc.list_mobilisation(uow, project_id)[0]
    assert row.wants_group_practice is None and row.commitment_label == "Non contacté"
    version = svc.update_mobilisation(
        uow, gp, row.version, wants_group_practice=True, wants_pluriprofessional=True, owns_premises=False,
        ready_to_move=False, horizon=" 2027 ", conditions="Garder deux jours au cabinet actuel", is_leader=True,
        fte=0.8,
    )  # fmt: skip
    row = svc.list_mobilisation(uow, project_id)[0]
    assert row.version == version
    assert (row.wants_group_practice, row.owns_premises, row.ready_to_move, row.horizon) == (True, False, False, "2027")
    assert row.is_leader and row.fte == 0.8 and row.would_rather_stay
    # Someone else saved the professional meanwhile: nothing is overwritten.
    with pytest.raises(ConflictError, match="modifiée par quelqu'un d'autre"):
        svc.update_mobilisation(uow, gp, version - 1, horizon="2030")
    assert svc.list_mobilisation(uow, project_id)[0].horizon == "2027"
    with pytest.raises(ValidationError, match="Équivalent temps plein de 3 hors limites"):
        svc.update_mobilisation(uow, gp, version, fte=3)
    with pytest.raises(ValidationError, match="L'horizon se dit en quelques mots"):
        svc.update_mobilisation(uow, gp, version, horizon="x" * 121)
    # The registry of step 2 sees the same row with its version moved on.
    assert offer.list_professionals(uow, project_id)[0].version == version


# --- commitment -------------------------------------------------------------------------------


def test_commitment_history_forwards_backwards_and_backdated(
    uow: UnitOfWork, project_id: int, refdata: RefData
) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    first = svc.set_commitment(uow, gp, CommitmentStatus.CONTACTE, date(2026, 1, 10), "Appel", today=TODAY)
    assert not first.backwards and first.current_status == "contacte"
    svc.set_commitment(uow, gp, "rencontre", date(2026, 2, 3), today=TODAY)
    svc.set_commitment(uow, gp, "interesse", date(2026, 3, 1), today=TODAY)
    back = svc.set_commitment(uow, gp, "rencontre", date(2026, 4, 2), "Hésite à cause du loyer", today=TODAY)
    assert back.backwards
    assert back.message.startswith(
        "Retour en arrière enregistré pour Camille Martin : de « Intéressé » à « Rencontré »"
    )
    assert "02/04/2026" in back.message
    assert svc.list_mobilisation(uow, project_id)[0].commitment_status == "rencontre"

    # A step recorded late, dated before the latest one, does not change the current status.
    late = svc.set_commitment(uow, gp, "lettre_intention", date(2026, 3, 20), today=TODAY)
    assert late.current_status == "rencontre" and "reste « Rencontré »" in late.message

    history = svc.commitment_history(uow, gp)
    assert [e.status for e in history] == ["contacte", "rencontre", "interesse", "lettre_intention", "rencontre"]
    assert [e.backwards for e in history] == [False, False, False, False, True]
    assert history[-1].sentence == (
        "Le 02/04/2026 : Lettre d'intention → Rencontré (retour en arrière) — Hésite à cause du loyer"
    )

    with pytest.raises(ValidationError, match="Camille Martin est déjà au statut « Rencontré » depuis le 02/04/2026"):
        svc.set_commitment(uow, gp, "rencontre", date(2026, 5, 1), today=TODAY)
    with pytest.raises(ValidationError, match="dans le futur"):
        svc.set_commitment(uow, gp, "signataire", date(2026, 7, 1), today=TODAY)
    with pytest.raises(ValidationError, match="Indiquez la date"):
        svc.set_commitment(uow, gp, "signataire", None, today=TODAY)
    with pytest.raises(ValidationError, match="Statut d'engagement inconnu"):
        svc.set_commitment(uow, gp, "enthousiaste", date(2026, 5, 1), today=TODAY)
    stale = svc.list_mobilisation(uow, project_id)[0].version - 1
    with pytest.raises(ConflictError):
        svc.set_commitment(uow, gp, "signataire", date(2026, 5, 1), expected_version=stale, today=TODAY)
    assert len(svc.commitment_history(uow, gp)) == 5  # none of the refused steps was recorded

    # Removing the last step (recorded by mistake) brings back the one before it.
    assert svc.delete_commitment_event(uow, history[-1].id) == "lettre_intention"
    assert svc.list_mobilisation(uow, project_id)[0].is_committed


def test_summary_and_the_msp_minimum(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp1 = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    gp2 = professional(uow, project_id, refdata, "Bernard", "medecin_generaliste")
    nurse = professional(uow, project_id, refdata, "Durand", "infirmier")
    dentist = professional(uow, project_id, refdata, "Petit", "chirurgien_dentiste")
    professional(uow, project_id, refdata, "Roux", "masseur_kinesitherapeute")

    empty = svc.mobilisation_summary(uow, project_id)
    assert not empty.reaches_msp_minimum and empty.committed == 0
    assert empty.sentence.startswith("L'équipe n'atteint pas encore le minimum d'une maison de santé")
    assert "il manque 2 médecins généralistes et 1 professionnel paramédical" in empty.sentence

    svc.set_commitment(uow, gp1, "lettre_intention", date(2026, 3, 1), today=TODAY)
    svc.set_commitment(uow, gp2, "interesse", date(2026, 3, 1), today=TODAY)
    svc.set_commitment(uow, nurse, "signataire", date(2026, 3, 2), today=TODAY)
    svc.set_commitment(uow, dentist, "signataire", date(2026, 3, 2), today=TODAY)  # not paramedical
    svc.update_mobilisation(uow, gp1, None, is_leader=True)

    summary = svc.mobilisation_summary(uow, project_id)
    assert not summary.reaches_msp_minimum
    assert (summary.gps_committed, summary.paramedical_committed, summary.committed) == (1, 1, 3)
    assert "il manque 1 médecin généraliste." in summary.sentence
    assert summary.leaders == ["Camille Martin (Médecin généraliste)"]
    gps = next(p for p in summary.professions if p.profession == "medecin_generaliste")
    assert (gps.total, gps.committed, gps.leaders) == (2, 1, 1)
    assert gps.by_status["lettre_intention"] == 1 and gps.by_status["interesse"] == 1
    kine = next(p for p in summary.professions if p.profession == "masseur_kinesitherapeute")
    assert kine.by_status[""] == 1 and kine.paramedical
    assert summary.statuses[0] == ("", "Non contacté")
    assert [p.profession for p in summary.professions][:2] == ["medecin_generaliste", "infirmier"]

    svc.set_commitment(uow, gp2, "lettre_intention", date(2026, 4, 1), today=TODAY)
    reached = svc.mobilisation_summary(uow, project_id)
    assert reached.reaches_msp_minimum
    assert reached.sentence == (
        "L'équipe atteint le minimum d'une maison de santé : 2 médecins généralistes et "
        "1 professionnel paramédical engagés (lettre d'intention ou signature du projet de santé)."
    )
    # A GP who withdraws takes the team back under the minimum.
    svc.set_commitment(uow, gp2, "rencontre", date(2026, 5, 1), today=TODAY)
    assert not svc.mobilisation_summary(uow, project_id).reaches_msp_minimum


def test_deleting_a_professional_keeps_the_contact_unlinked(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = professional(uow, project_id, refdata, "Martin", "medecin_generaliste")
    contact = svc.add_contact(uow, project_id, kind="professionnel", professional_id=gp)
    svc.set_commitment(uow, gp, "contacte", date(2026, 1, 5), today=TODAY)
    offer.delete_professionals(uow, [gp])
    assert svc.get_contact(uow, contact).professional_id is None
    assert svc.mobilisation_summary(uow, project_id).total == 0
