// Notification preferences dialog.
#include "preferencesdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QVBoxLayout>

namespace Chat {

PreferencesDialog::PreferencesDialog(const NotificationSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_desktop(new QCheckBox(tr("Show a desktop notification"), this))
    , m_alert(new QCheckBox(tr("Flash the taskbar entry"), this))
    , m_showText(new QCheckBox(tr("Include the message text"), this))
    , m_mentionsInMuted(new QCheckBox(tr("Notify about mentions in muted rooms"), this))
{
    setWindowTitle(tr("Preferences"));
    m_desktop->setChecked(settings.desktop);
    m_alert->setChecked(settings.alert);
    m_showText->setChecked(settings.showText);
    m_mentionsInMuted->setChecked(settings.mentionsInMuted);
    auto *group = new QGroupBox(tr("When a message arrives that you are not looking at"), this);
    auto *groupLayout = new QVBoxLayout(group);
    groupLayout->addWidget(m_desktop);
    groupLayout->addWidget(m_showText);
    groupLayout->addWidget(m_alert);
    groupLayout->addWidget(m_mentionsInMuted);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_desktop, &QCheckBox::toggled, m_showText, &QCheckBox::setEnabled);
    m_showText->setEnabled(settings.desktop);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(group);
    layout->addWidget(buttons);
}

PreferencesDialog::~PreferencesDialog() = default;

NotificationSettings PreferencesDialog::settings() const
{
    NotificationSettings s;
    s.desktop = m_desktop->isChecked();
    s.alert = m_alert->isChecked();
    s.showText = m_showText->isChecked();
    s.mentionsInMuted = m_mentionsInMuted->isChecked();
    return s;
}

} // namespace Chat
