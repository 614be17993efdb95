// Preferences: notifications, and how the client sits on the desktop.
#pragma once

#include "chatclient.h"
#include "clientsettings.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QCheckBox;
QT_END_NAMESPACE

namespace Chat {

class PreferencesDialog final : public QDialog
{
    Q_OBJECT
public:
    // `trayAvailable`: whether closing to the tray can be offered.
    PreferencesDialog(const NotificationSettings &settings, const DesktopSettings &desktop,
                      bool trayAvailable, QWidget *parent = nullptr);
    ~PreferencesDialog() override;
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

    NotificationSettings settings() const;
    DesktopSettings desktop() const;

private:
    QCheckBox *m_desktop;
    QCheckBox *m_alert;
    QCheckBox *m_showText;
    QCheckBox *m_mentionsInMuted;
    QCheckBox *m_closeToTray;
    QCheckBox *m_autostart;
    bool m_keptCloseToTray = true;
};

} // namespace Chat
