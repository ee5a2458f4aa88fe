# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'territory_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QSizePolicy, QSpacerItem, QSpinBox, QSplitter,
    QTableView, QVBoxLayout, QWidget)

class Ui_TerritoryPage(object):
    def setupUi(self, TerritoryPage):
        if not TerritoryPage.objectName():
            TerritoryPage.setObjectName(u"TerritoryPage")
        TerritoryPage.resize(1100, 760)
        self.pageLayout = QHBoxLayout(TerritoryPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.splitter = QSplitter(TerritoryPage)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.leftColumn = QWidget(self.splitter)
        self.leftColumn.setObjectName(u"leftColumn")
        self.leftLayout = QVBoxLayout(self.leftColumn)
        self.leftLayout.setObjectName(u"leftLayout")
        self.leftLayout.setContentsMargins(0, 0, 6, 0)
        self.projectBox = QGroupBox(self.leftColumn)
        self.projectBox.setObjectName(u"projectBox")
        self.projectForm = QFormLayout(self.projectBox)
        self.projectForm.setObjectName(u"projectForm")
        self.projectForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.porteurTypeLabel = QLabel(self.projectBox)
        self.porteurTypeLabel.setObjectName(u"porteurTypeLabel")

        self.projectForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.porteurTypeLabel)

        self.porteurTypeCombo = QComboBox(self.projectBox)
        self.porteurTypeCombo.setObjectName(u"porteurTypeCombo")

        self.projectForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.porteurTypeCombo)

        self.porteurNameLabel = QLabel(self.projectBox)
        self.porteurNameLabel.setObjectName(u"porteurNameLabel")

        self.projectForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.porteurNameLabel)

        self.porteurNameEdit = QLineEdit(self.projectBox)
        self.porteurNameEdit.setObjectName(u"porteurNameEdit")
        self.porteurNameEdit.setMaxLength(300)

        self.projectForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.porteurNameEdit)

        self.projectTypeLabel = QLabel(self.projectBox)
        self.projectTypeLabel.setObjectName(u"projectTypeLabel")

        self.projectForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.projectTypeLabel)

        self.projectTypeCombo = QComboBox(self.projectBox)
        self.projectTypeCombo.setObjectName(u"projectTypeCombo")

        self.projectForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.projectTypeCombo)


        self.leftLayout.addWidget(self.projectBox)

        self.searchBox = QGroupBox(self.leftColumn)
        self.searchBox.setObjectName(u"searchBox")
        self.searchLayout = QVBoxLayout(self.searchBox)
        self.searchLayout.setObjectName(u"searchLayout")
        self.searchEdit = QLineEdit(self.searchBox)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setClearButtonEnabled(True)

        self.searchLayout.addWidget(self.searchEdit)

        self.resultsList = QListWidget(self.searchBox)
        self.resultsList.setObjectName(u"resultsList")
        self.resultsList.setMinimumHeight(90)
        self.resultsList.setMaximumHeight(150)
        self.resultsList.setSelectionMode(QAbstractItemView.ExtendedSelection)

        self.searchLayout.addWidget(self.resultsList)

        self.addButtonsLayout = QHBoxLayout()
        self.addButtonsLayout.setObjectName(u"addButtonsLayout")
        self.addCommuneButton = QPushButton(self.searchBox)
        self.addCommuneButton.setObjectName(u"addCommuneButton")

        self.addButtonsLayout.addWidget(self.addCommuneButton)

        self.addEpciButton = QPushButton(self.searchBox)
        self.addEpciButton.setObjectName(u"addEpciButton")

        self.addButtonsLayout.addWidget(self.addEpciButton)

        self.addDepartementButton = QPushButton(self.searchBox)
        self.addDepartementButton.setObjectName(u"addDepartementButton")

        self.addButtonsLayout.addWidget(self.addDepartementButton)


        self.searchLayout.addLayout(self.addButtonsLayout)

        self.radiusLayout = QHBoxLayout()
        self.radiusLayout.setObjectName(u"radiusLayout")
        self.radiusLabel = QLabel(self.searchBox)
        self.radiusLabel.setObjectName(u"radiusLabel")

        self.radiusLayout.addWidget(self.radiusLabel)

        self.radiusSpin = QSpinBox(self.searchBox)
        self.radiusSpin.setObjectName(u"radiusSpin")
        self.radiusSpin.setMinimum(1)
        self.radiusSpin.setMaximum(200)
        self.radiusSpin.setValue(10)

        self.radiusLayout.addWidget(self.radiusSpin)

        self.radiusLabel2 = QLabel(self.searchBox)
        self.radiusLabel2.setObjectName(u"radiusLabel2")

        self.radiusLayout.addWidget(self.radiusLabel2)

        self.radiusSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.radiusLayout.addItem(self.radiusSpacer)

        self.addRadiusButton = QPushButton(self.searchBox)
        self.addRadiusButton.setObjectName(u"addRadiusButton")

        self.radiusLayout.addWidget(self.addRadiusButton)


        self.searchLayout.addLayout(self.radiusLayout)


        self.leftLayout.addWidget(self.searchBox)

        self.communesBox = QGroupBox(self.leftColumn)
        self.communesBox.setObjectName(u"communesBox")
        self.communesLayout = QVBoxLayout(self.communesBox)
        self.communesLayout.setObjectName(u"communesLayout")
        self.communesTable = QTableView(self.communesBox)
        self.communesTable.setObjectName(u"communesTable")
        self.communesTable.setMinimumHeight(220)
        self.communesTable.setSortingEnabled(True)
        self.communesTable.setAlternatingRowColors(True)
        self.communesTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.communesTable.setEditTriggers(QAbstractItemView.NoEditTriggers)

        self.communesLayout.addWidget(self.communesTable)

        self.removeLayout = QHBoxLayout()
        self.removeLayout.setObjectName(u"removeLayout")
        self.emptyTerritoryLabel = QLabel(self.communesBox)
        self.emptyTerritoryLabel.setObjectName(u"emptyTerritoryLabel")
        self.emptyTerritoryLabel.setWordWrap(True)

        self.removeLayout.addWidget(self.emptyTerritoryLabel)

        self.removeSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.removeLayout.addItem(self.removeSpacer)

        self.removeButton = QPushButton(self.communesBox)
        self.removeButton.setObjectName(u"removeButton")

        self.removeLayout.addWidget(self.removeButton)


        self.communesLayout.addLayout(self.removeLayout)


        self.leftLayout.addWidget(self.communesBox)

        self.splitter.addWidget(self.leftColumn)
        self.rightColumn = QWidget(self.splitter)
        self.rightColumn.setObjectName(u"rightColumn")
        self.rightLayout = QVBoxLayout(self.rightColumn)
        self.rightLayout.setObjectName(u"rightLayout")
        self.rightLayout.setContentsMargins(6, 0, 0, 0)
        self.summaryBox = QGroupBox(self.rightColumn)
        self.summaryBox.setObjectName(u"summaryBox")
        self.summaryForm = QFormLayout(self.summaryBox)
        self.summaryForm.setObjectName(u"summaryForm")
        self.populationCaption = QLabel(self.summaryBox)
        self.populationCaption.setObjectName(u"populationCaption")

        self.summaryForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.populationCaption)

        self.populationValue = QLabel(self.summaryBox)
        self.populationValue.setObjectName(u"populationValue")
        self.populationValue.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.populationValue.setWordWrap(True)

        self.summaryForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.populationValue)

        self.referencesCaption = QLabel(self.summaryBox)
        self.referencesCaption.setObjectName(u"referencesCaption")

        self.summaryForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.referencesCaption)

        self.referencesValue = QLabel(self.summaryBox)
        self.referencesValue.setObjectName(u"referencesValue")
        self.referencesValue.setWordWrap(True)

        self.summaryForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.referencesValue)


        self.rightLayout.addWidget(self.summaryBox)

        self.mapBox = QGroupBox(self.rightColumn)
        self.mapBox.setObjectName(u"mapBox")
        self.mapLayout = QVBoxLayout(self.mapBox)
        self.mapLayout.setObjectName(u"mapLayout")

        self.rightLayout.addWidget(self.mapBox)

        self.splitter.addWidget(self.rightColumn)

        self.pageLayout.addWidget(self.splitter)

#if QT_CONFIG(shortcut)
        self.porteurTypeLabel.setBuddy(self.porteurTypeCombo)
        self.porteurNameLabel.setBuddy(self.porteurNameEdit)
        self.projectTypeLabel.setBuddy(self.projectTypeCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.porteurTypeCombo, self.porteurNameEdit)
        QWidget.setTabOrder(self.porteurNameEdit, self.projectTypeCombo)
        QWidget.setTabOrder(self.projectTypeCombo, self.searchEdit)
        QWidget.setTabOrder(self.searchEdit, self.resultsList)
        QWidget.setTabOrder(self.resultsList, self.addCommuneButton)

        self.retranslateUi(TerritoryPage)

        QMetaObject.connectSlotsByName(TerritoryPage)
    # setupUi

    def retranslateUi(self, TerritoryPage):
        self.projectBox.setTitle(QCoreApplication.translate("TerritoryPage", u"Le projet", None))
        self.porteurTypeLabel.setText(QCoreApplication.translate("TerritoryPage", u"Type de porteur", None))
        self.porteurNameLabel.setText(QCoreApplication.translate("TerritoryPage", u"Nom du porteur", None))
        self.porteurNameEdit.setPlaceholderText(QCoreApplication.translate("TerritoryPage", u"Par exemple : Communaut\u00e9 de communes du Val de \u2026", None))
        self.projectTypeLabel.setText(QCoreApplication.translate("TerritoryPage", u"Type de projet", None))
        self.searchBox.setTitle(QCoreApplication.translate("TerritoryPage", u"Ajouter des communes", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("TerritoryPage", u"Rechercher une commune : nom, code INSEE ou code postal", None))
        self.addCommuneButton.setText(QCoreApplication.translate("TerritoryPage", u"Ajouter la commune", None))
        self.addEpciButton.setText(QCoreApplication.translate("TerritoryPage", u"Son intercommunalit\u00e9", None))
#if QT_CONFIG(tooltip)
        self.addEpciButton.setToolTip(QCoreApplication.translate("TerritoryPage", u"Ajouter toutes les communes de l'intercommunalit\u00e9 de la commune choisie", None))
#endif // QT_CONFIG(tooltip)
        self.addDepartementButton.setText(QCoreApplication.translate("TerritoryPage", u"Son d\u00e9partement", None))
#if QT_CONFIG(tooltip)
        self.addDepartementButton.setToolTip(QCoreApplication.translate("TerritoryPage", u"Ajouter toutes les communes du d\u00e9partement de la commune choisie", None))
#endif // QT_CONFIG(tooltip)
        self.radiusLabel.setText(QCoreApplication.translate("TerritoryPage", u"Les communes \u00e0 moins de", None))
        self.radiusSpin.setSuffix(QCoreApplication.translate("TerritoryPage", u" km", None))
        self.radiusLabel2.setText(QCoreApplication.translate("TerritoryPage", u"de la commune choisie", None))
        self.addRadiusButton.setText(QCoreApplication.translate("TerritoryPage", u"Ajouter", None))
        self.communesBox.setTitle(QCoreApplication.translate("TerritoryPage", u"Communes du territoire", None))
        self.emptyTerritoryLabel.setText(QCoreApplication.translate("TerritoryPage", u"Aucune commune pour l'instant : recherchez-en une ci-dessus.", None))
        self.removeButton.setText(QCoreApplication.translate("TerritoryPage", u"Retirer la s\u00e9lection", None))
        self.summaryBox.setTitle(QCoreApplication.translate("TerritoryPage", u"Population et r\u00e9f\u00e9rences", None))
        self.populationCaption.setText(QCoreApplication.translate("TerritoryPage", u"Population", None))
        self.referencesCaption.setText(QCoreApplication.translate("TerritoryPage", u"Compar\u00e9 \u00e0", None))
        self.mapBox.setTitle(QCoreApplication.translate("TerritoryPage", u"Carte du territoire", None))
        pass
    # retranslateUi

