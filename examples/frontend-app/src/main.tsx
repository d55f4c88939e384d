import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AuthProvider } from 'token-refresh-kit/react'
import { App } from './App'
import { session } from './session'
import { signIn } from './signIn'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element to render the app into')

createRoot(root).render(
  <StrictMode>
    <AuthProvider session={session} login={signIn}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
