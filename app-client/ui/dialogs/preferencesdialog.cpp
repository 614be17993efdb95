// Notification preferences dialog.
#include "preferencesdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QVBoxLayout>

namespace Chat {

PreferencesDialog::PreferencesDialog(const NotificationSettings &settings,
                                     const DesktopSettings &desktop, bool trayAvailable,
                                     QWidget *parent)
    : QDialog(parent)
    , m_desktop(new QCheckBox(tr("Show a desktop notification"), this))
    , m_alert(new QCheckBox(tr("Flash the taskbar entry"), this))
    , m_showText(new QCheckBox(tr("Include the message text"), this))
    , m_mentionsInMuted(new QCheckBox(tr("Notify about mentions in muted rooms"), this))
    , m_closeToTray(new QCheckBox(tr("Keep running in the tray when the window is closed"), this))
    , m_autostart(new QCheckBox(tr("Start when I log in"), this))
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
    m_keptCloseToTray = desktop.closeToTray;
    m_closeToTray->setChecked(desktop.closeToTray && trayAvailable);
    m_closeToTray->setEnabled(trayAvailable);
    m_autostart->setChecked(desktop.autostart);
    auto *desktopGroup = new QGroupBox(tr("On the desktop"), this);
    auto *desktopLayout = new QVBoxLayout(desktopGroup);
    desktopLayout->addWidget(m_closeToTray);
    desktopLayout->addWidget(m_autostart);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_desktop, &QCheckBox::toggled, m_showText, &QCheckBox::setEnabled);
    m_showText->setEnabled(settings.desktop);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(group);
    layout->addWidget(desktopGroup);
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

DesktopSettings PreferencesDialog::desktop() const
{
    DesktopSettings d;
    // Without a tray the choice was not offered: what was set stays.
    d.closeToTray = m_closeToTray->isEnabled() ? m_closeToTray->isChecked() : m_keptCloseToTray;
    d.autostart = m_autostart->isChecked();
    return d;
}

} // namespace Chat
