"""Step 5 driven through its page: the professionals' answers and commitment with its history, the
MSP minimum, contacts and partners, meetings with participants and tasks, pending tasks."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from santeloc.domain.errors import ValidationError
from santeloc.gui.main_window import MainWindow
from santeloc.gui.pages.mobilisation import MobilisationPage
from santeloc.gui.pages.mobilisation.common import OVERDUE, parse_date
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import meetings as meeting_svc
from santeloc.services import mobilisation as svc
from santeloc.services import offer
from santeloc.services.territory import add_communes
from tests.gui.conftest import close_messages, messages

TODAY = date.today()


def open_page(
    window: MainWindow, qtbot: QtBot, database: Database, professionals: tuple[tuple[str, str], ...] = ()
) -> tuple[int, MobilisationPage, dict[str, int]]:
    info = window.home.create_named("MSP de Puisaye")
    assert info is not None
    uow = UnitOfWork(database)
    add_communes(uow, info.id, ["58227", "58012"], refdata=window.ctx.refdata)
    ids = {
        last_name: offer.add_professional(
            uow, info.id, window.ctx.refdata, last_name=last_name, first_name="Camille", profession=profession,
            commune_code="58227",
        )
        for last_name, profession in professionals
    }  # fmt: skip
    page = MobilisationPage(window.ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.load(info)
    return info.id, page, ids


def click_confirm(page: QWidget, label: str) -> None:
    box = next(b for b in page.window().findChildren(QMessageBox) if b.isVisible())
    next(button for button in box.buttons() if button.text() == label).click()


def test_dates_are_read_the_french_way() -> None:
    assert parse_date("12/03/2026") == date(2026, 3, 12)
    assert parse_date(" 2/3/26 ") == date(2026, 3, 2)
    assert parse_date("12.03.2026") == date(2026, 3, 12)
    assert parse_date("") is None
    for wrong, message in (("mardi", "n'est pas une date"), ("31/02/2026", "n'existe pas dans le calendrier")):
        try:
            parse_date(wrong)
        except ValidationError as exc:
            assert message in exc.message
        else:
            raise AssertionError(wrong)


def test_answers_and_commitment_with_its_history(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    _project_id, page, ids = open_page(window, qtbot, sqlite_database, (("Martin", "medecin_generaliste"),))
    assert page.pro_table.rowCount() == 1 and not page.pro_empty.isVisible()
    assert not page.answers_box.isEnabled()
    page.select_professional(ids["Martin"])
    assert page.answers_box.isEnabled() and "statut actuel : <b>Non contacté</b>" in page.status_label.text()

    # The guide's questions, saved as soon as they are answered.
    combo = page.answer_combos["ready_to_move"]
    combo.setCurrentIndex(combo.findData("non"))
    combo.activated.emit(combo.currentIndex())
    page.horizon_edit.setText("2027")
    page.horizon_edit.editingFinished.emit()
    page.fte_edit.setText("0,8")
    page.fte_edit.editingFinished.emit()
    page.leader_check.click()
    row = svc.list_mobilisation(UnitOfWork(sqlite_database), page._project_id())[0]
    assert (row.ready_to_move, row.horizon, row.fte, row.is_leader) == (False, "2027", 0.8, True)
    assert page.stay_hint.isVisible()  # not ready to move: a multi-site MSP may suit better
    assert page.pro_table.item(0, 3).text() == "Oui" and page.pro_table.item(0, 5).text() == "Non"
    page.fte_edit.setText("3")
    page.fte_edit.editingFinished.emit()
    assert any("Équivalent temps plein de 3 hors limites" in t for t in messages(page))
    close_messages(page)

    # Commitment changes, dated, through the form: contacted, met, then a step backwards.
    steps = (("contacte", 40, "Appel"), ("rencontre", 30, ""), ("interesse", 20, ""))
    for status, days, note in steps:
        page.status_combo.setCurrentIndex(page.status_combo.findData(status))
        page.status_date.set_value(TODAY - timedelta(days=days))
        page.status_note.setText(note)
        page.status_button.click()
    assert page.pro_table.item(0, 2).text() == "Intéressé"
    assert page.status_combo.currentData() == "lettre_intention"  # the usual next step is proposed
    change = page.set_commitment("rencontre", TODAY - timedelta(days=10), "Hésite à cause du loyer")
    assert change is not None and change.backwards
    assert page.status_feedback.text().startswith("Retour en arrière enregistré pour Camille Martin")
    history = [page.history_list.item(i).text() for i in range(page.history_list.count())]
    assert len(history) == 4  # most recent first
    day = (TODAY - timedelta(days=10)).strftime("%d/%m/%Y")
    assert history[0] == f"Le {day} : Intéressé → Rencontré (retour en arrière) — Hésite à cause du loyer"
    assert history[-1].endswith("Non contacté → Contacté — Appel")
    assert page.history_list.item(0).foreground().color() == OVERDUE

    # Refused in French, nothing recorded: a date in the future, no date, the same status again.
    assert page.set_commitment("signataire", TODAY + timedelta(days=3)) is None
    assert any("est dans le futur" in t for t in messages(page))
    close_messages(page)
    page.status_date.setText("")
    page.status_combo.setCurrentIndex(page.status_combo.findData("signataire"))
    page.status_button.click()
    assert any("Indiquez la date de ce changement" in t for t in messages(page))
    close_messages(page)
    page.status_date.setText("31/02/2026")
    page.status_button.click()
    assert any("n'existe pas dans le calendrier" in t for t in messages(page))
    close_messages(page)
    assert len(svc.commitment_history(UnitOfWork(sqlite_database), ids["Martin"])) == 4

    # A step recorded by mistake is removed; the status goes back to the one before.
    page.history_list.setCurrentRow(0)
    page.delete_step_button.click()
    click_confirm(page, "Supprimer")
    assert page.pro_table.item(0, 2).text() == "Intéressé"
    assert page.history_list.count() == 3


def test_msp_minimum_sentence_when_two_gps_and_a_nurse_sign(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    team = (("Martin", "medecin_generaliste"), ("Bernard", "medecin_generaliste"), ("Durand", "infirmier"))
    _project_id, page, ids = open_page(window, qtbot, sqlite_database, team)
    page.tabs.setCurrentIndex(1)
    assert page.msp_label.text().startswith("L'équipe n'atteint pas encore le minimum d'une maison de santé")
    assert "il manque 2 médecins généralistes et 1 professionnel paramédical" in page.msp_label.text()
    assert "Aucun leader identifié" in page.leaders_label.text()
    signed = TODAY - timedelta(days=2)
    for name in ("Martin", "Durand"):
        page.select_professional(ids[name])
        assert page.set_commitment("signataire", signed) is not None
    assert "il manque 1 médecin généraliste." in page.msp_label.text()
    page.select_professional(ids["Bernard"])
    page.set_commitment("lettre_intention", signed)
    page.leader_check.click()
    assert page.msp_label.text() == (
        "L'équipe atteint le minimum d'une maison de santé : 2 médecins généralistes et 1 professionnel "
        "paramédical engagés (lettre d'intention ou signature du projet de santé)."
    )
    assert "Camille Bernard (Médecin généraliste)" in page.leaders_label.text()
    table = page.summary_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[0] == "Profession" and headers[-2:] == ["Engagés", "Leaders"]
    gps = [table.item(0, c).text() for c in range(table.columnCount())]
    assert gps[0] == "Médecins généralistes" and gps[1] == "2" and gps[-2] == "2" and gps[-1] == "1"
    assert table.item(table.rowCount() - 1, 0).text() == "Ensemble"
    assert "3 professionnels recensés" in page.counts_label.text()


def test_contacts_and_partners(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id, page, ids = open_page(
        window, qtbot, sqlite_database, (("Martin", "medecin_generaliste"), ("Durand", "infirmier"))
    )
    page.tabs.setCurrentIndex(2)
    assert page.contacts_empty.isVisible()
    dialog = page.open_contact_dialog()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("ars"))
    dialog.name_edit.setText("Claire Roux")
    dialog.organisation_edit.setText("ARS — délégation départementale de la Nièvre")
    dialog.phone_edit.setText("12345")
    dialog.ok_button.click()
    assert dialog.isVisible()  # refused: the dialog stays open for correction
    assert any("Numéro de téléphone « 12345 » invalide" in t for t in messages(dialog))
    close_messages(dialog)
    dialog.phone_edit.setText("+33 3 86 00 00 01")
    dialog.email_edit.setText("claire.roux@ARS.SANTE.FR")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert [page.contacts_table.item(0, c).text() for c in range(6)] == [
        "ARS — délégation départementale", "Claire Roux", "", "ARS — délégation départementale de la Nièvre",
        "03 86 00 00 01", "claire.roux@ars.sante.fr",
    ]  # fmt: skip

    registry = page.open_registry_dialog()
    assert registry.list.count() == 2
    registry.tick_all(True)
    registry.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    registry.ok_button.click()
    contacts = svc.list_contacts(UnitOfWork(sqlite_database), project_id)
    assert [(c.name, c.professional_id) for c in contacts] == [("Camille Martin", ids["Martin"]), ("Claire Roux", None)]
    assert page.open_registry_dialog().list.count() == 1  # Martin has his card now

    # Edited in the form below the list; a wrong e-mail is refused and nothing changes.
    page.select_contact(contacts[1].id)
    page.contact_role.setText("Chargée de mission premier recours")
    page.contact_role.editingFinished.emit()
    page.contact_email.setText("claire.roux")
    page.contact_email.editingFinished.emit()
    assert any("Adresse e-mail « claire.roux » invalide" in t for t in messages(page))
    close_messages(page)
    stored = svc.get_contact(UnitOfWork(sqlite_database), contacts[1].id)
    assert (stored.role, stored.email) == ("Chargée de mission premier recours", "claire.roux@ars.sante.fr")
    assert page.contact_email.text() == "claire.roux@ars.sante.fr"
    page.contact_filter.setCurrentIndex(page.contact_filter.findData("institution"))
    assert page.contacts_table.rowCount() == 1


def test_meetings_participants_tasks_and_pending(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id, page, _ids = open_page(window, qtbot, sqlite_database)
    mayor = page.add_contact("elu", "Jean Dupuis", role="Maire")
    ars = page.add_contact("ars", "Claire Roux", organisation="ARS — DD")
    assert mayor is not None and ars is not None
    page.tabs.setCurrentIndex(3)

    # A meeting without a date is refused in French; nothing is created.
    dialog = page.open_meeting_dialog()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("comite_pilotage"))
    dialog.date_edit.clear()
    dialog.ok_button.click()
    assert "Une réunion a besoin d'une date." in messages(dialog)
    assert dialog.isVisible() and meeting_svc.list_meetings(UnitOfWork(sqlite_database), project_id) == []
    close_messages(dialog)
    held = TODAY - timedelta(days=30)
    dialog.date_edit.set_value(held)
    dialog.place_edit.setText("Mairie")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert page.meetings_table.rowCount() == 1
    assert page.meetings_table.item(0, 2).text() == f"Comité de pilotage du {held.strftime('%d/%m/%Y')}"
    assert page.meeting_box.isEnabled()

    # Participants picked from the contacts; the same person twice is refused.
    assert page.participant_combo.count() == 2
    page.participant_combo.setCurrentIndex(page.participant_combo.findData(mayor))
    page.add_participant_button.click()
    assert page.participants_list.count() == 1 and page.participants_list.item(0).text() == "Jean Dupuis (Maire)"
    assert page.participant_combo.count() == 1  # the mayor is no longer offered
    assert not page.add_participant(mayor)
    assert "Jean Dupuis figure déjà parmi les participants de cette réunion." in messages(page)
    close_messages(page)
    assert page.meetings_table.item(0, 3).text() == "1"

    # The date can be changed but not removed.
    page.meeting_date.setText("")
    page.meeting_date.editingFinished.emit()
    assert "Une réunion a besoin d'une date." in messages(page)
    close_messages(page)
    assert page.meeting_date.text() == held.strftime("%d/%m/%Y")
    page.meeting_decisions.set_text("Lancer le questionnaire aux habitants")
    page.meeting_decisions.document().setModified(True)
    page.meeting_decisions.editingFinished.emit()
    detail = meeting_svc.get_meeting(UnitOfWork(sqlite_database), page.meetings[0].id)
    assert detail.meeting.decisions == "Lancer le questionnaire aux habitants"

    # Tasks with owner and due date; pending ones listed by due date, the overdue in red.
    page.task_label.setText("Demander les données à l'ORS")
    page.task_owner.setText("Chargée de mission")
    page.task_due.set_value(TODAY - timedelta(days=5))
    page.add_task_button.click()
    assert page.add_task("Envoyer le questionnaire", "Mairie", TODAY + timedelta(days=20)) is not None
    assert page.add_task("", "Mairie") is None
    assert any("La tâche a besoin d'un intitulé" in t for t in messages(page))
    close_messages(page)
    assert page.tasks_table.rowCount() == 2
    assert page.tasks_table.item(0, 2).foreground().color() == OVERDUE
    assert page.tabs.tabText(4) == "Tâches en cours (2)"
    pending = page.pending_table
    assert pending.item(0, 0).text().startswith("En retard depuis le")
    assert pending.item(0, 1).foreground().color() == OVERDUE
    assert pending.item(1, 0).text().startswith("Pour le")
    assert "dont" in page.pending_label.text() and "1 en retard" in page.pending_label.text()

    # The done checkbox in the meeting, then "Marquer comme faite" in the pending list.
    page.tasks_table.item(0, 3).setCheckState(Qt.CheckState.Checked)
    assert page.pending_table.rowCount() == 1
    page.pending_table.selectRow(0)
    assert page.mark_task_done()
    assert page.pending_table.rowCount() == 0
    assert meeting_svc.pending_tasks(UnitOfWork(sqlite_database), project_id) == []
    assert "Aucune tâche en cours" in page.pending_label.text()
