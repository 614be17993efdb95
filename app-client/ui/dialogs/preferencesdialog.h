// Notification preferences.
#pragma once

#include "chatclient.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QCheckBox;
QT_END_NAMESPACE

namespace Chat {

class PreferencesDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(const NotificationSettings &settings, QWidget *parent = nullptr);
    ~PreferencesDialog() override;
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

    NotificationSettings settings() const;

private:
    QCheckBox *m_desktop;
    QCheckBox *m_alert;
    QCheckBox *m_showText;
    QCheckBox *m_mentionsInMuted;
};

} // namespace Chat
